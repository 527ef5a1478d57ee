"""Bundled data shipped inside the package: catalogues, the catalogue schema, icons."""
