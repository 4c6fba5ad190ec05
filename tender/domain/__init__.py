"""The procedure's vocabulary: models of the dossier, events, findings, errors, the calendar.

Nothing here reads or writes a file, and nothing here imports another layer of tender.
"""
