"""errspec: one YAML error registry, every error artefact generated from it."""

__version__ = "0.1.0"
