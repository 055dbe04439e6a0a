"""Extraction: a parsed article (spaCy Doc) becomes records; nothing spaCy leaves this package."""
