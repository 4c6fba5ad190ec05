"""The edge where files come in: strict YAML, the dossier loader, PDF reading and its cache, atomic writes."""
