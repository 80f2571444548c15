"""Marshmallow schemas, one module per audience."""
