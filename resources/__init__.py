"""Data shipped with the application: the seed procedure catalog, fonts, icons."""
