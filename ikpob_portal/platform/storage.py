"""The production storage for static files: hashed names, compressed (whitenoise)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage: hashed names (cached for a year), gzip and Brotli copies."""
