"""Path converters for free-form path segments."""

from django.urls import register_converter


class TextConverter:
    """Like Django's `str` (anything but a slash), but no NUL character either.

    Theme slugs may hold any letter, so `slug` is too narrow; but PostgreSQL cannot compare
    text with a NUL in it, so `/themas/%00/` would fail in the database instead of being
    an unknown address (404).
    """

    regex = "[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TextConverter, "text")
