"""The bundled fact files; this module only makes them findable as package data."""
