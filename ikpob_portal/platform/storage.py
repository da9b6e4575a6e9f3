"""The production storage for static files: hashed names, compressed (whitenoise)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage, minus the rewriting of npm files that no page uses.

    `background-image-icon.css` of @utrecht/design-tokens points to icons its package does not
    ship, and the hashing storage stops collectstatic on a reference it cannot resolve. The
    file is still collected, under its own name.
    """

    NOT_REWRITTEN = frozenset({"vendor/utrecht-tokens/background-image-icon.css"})

    def post_process(self, paths, *args, **kwargs):
        paths = {name: value for name, value in paths.items() if name not in self.NOT_REWRITTEN}
        yield from super().post_process(paths, *args, **kwargs)
