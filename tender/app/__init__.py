"""Whole jobs on a dossier folder: load the evaluation, run the main job, take a snapshot for exports."""
