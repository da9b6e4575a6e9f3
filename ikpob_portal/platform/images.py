"""Images on pages: a cover image, portrait or logo with its alt text, and its renditions.

A model that shows an image inherits `CoverImage` (fields `image`, `image_alt`,
`image_decorative`) or, for an image field of another name, `RenditionsMixin` with
`rendition_widths = {"logo": (…)}`. Saving a new upload records the image's size and makes its
renditions at once: every width in WebP and in a fallback format (PNG for a PNG, else JPEG),
through django-imagekit into the configured storage (filesystem or S3). A page render never
touches the storage: a rendition's name, size and URL are worked out from the upload's name
and the recorded size alone, so showing twenty cards asks S3 nothing and the database nothing
more.

Renditions reach browsers through `rendition_view` (never through MEDIA_URL or a signed bucket
URL): their names hold a hash of the upload's random name and of how they were made, so a URL
never changes its content and is cached for a year; a new upload gets new URLs.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from imagekit.cachefiles import ImageCacheFile
from imagekit.specs import ImageSpec
from PIL import Image
from pilkit.processors import ResizeToFit, Transpose

from ikpob_portal.platform.uploads import (
    IMAGE_EXTENSIONS,
    checked_image_name,
    image_kind,
    validate_image,
)

logger = logging.getLogger(__name__)

# Where renditions live in the storage, beside the uploads; named by the upload they come from.
RENDITIONS_DIR = "renditions"
# Widths for a cover image shown from a phone (a card ~340 px, twice for sharp screens) to a
# wide detail page; 1200 is also what link previews (og:image) ask for.
COVER_WIDTHS = (400, 800, 1200)
WEBP = "WEBP"
# What each format is saved with: sharp enough for photos and text in an image, a fraction of
# an editor's upload. Part of every rendition's name, so changing one makes new files.
SAVE_OPTIONS = {
    "WEBP": {"quality": 80},
    "JPEG": {"quality": 82, "progressive": True, "optimize": True},
    "PNG": {"optimize": True},
}
EXTENSIONS = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}
# Bumped when the way renditions are made changes, so every URL changes with it
# (run `manage.py make_renditions` after deploying such a change).
RENDITION_VERSION = 1
# EXIF orientations that turn a photo a quarter: its stored width is its shown height.
QUARTER_TURNS = {5, 6, 7, 8}
EXIF_ORIENTATION = 0x0112
YEAR_SECONDS = 365 * 24 * 60 * 60
# What opening a missing, broken or hostile file raises (FileNotFoundError is an OSError).
UNREADABLE = (OSError, ValueError, SyntaxError, Image.DecompressionBombError)


def fallback_format(name: str) -> str:
    """PNG keeps a PNG's transparency (logos); everything else falls back to JPEG."""
    return "PNG" if name.lower().endswith(".png") else "JPEG"


class Rendition(ImageSpec):
    """One width of one image in one format, made by django-imagekit.

    The name is ours: the upload's name, the width and a hash of what made it. It is worked out
    without opening anything, so a page can link to it without asking the storage."""

    def __init__(self, source, width: int, format: str) -> None:
        self.width = width
        self.format = format
        # Turned upright first (phones store photos sideways with an EXIF note), never
        # enlarged. Pillow saves no EXIF into a rendition: no camera data or location leaves.
        self.processors = [Transpose(Transpose.AUTO), ResizeToFit(width=width, upscale=False)]
        self.options = SAVE_OPTIONS[format]
        super().__init__(source=source)

    def get_hash(self) -> str:
        return rendition_hash(self.source.name, self.width, self.format)

    @property
    def cachefile_name(self) -> str:
        return rendition_name(self.source.name, self.width, self.format)


def rendition_hash(source_name: str, width: int, format: str) -> str:
    """What made a rendition, hashed: a new upload, width, format, quality or RENDITION_VERSION
    gives a new name, so a URL never changes its content."""
    recipe = f"{source_name}|{width}|{format}|{SAVE_OPTIONS[format]}|{RENDITION_VERSION}"
    return hashlib.sha256(recipe.encode()).hexdigest()[:12]


def rendition_name(source_name: str, width: int, format: str) -> str:
    """renditions/<upload's name without extension>/<width>w-<hash>.<ext>: worked out from
    the name alone, so pages link to renditions without building an imagekit spec."""
    stem = source_name.rsplit(".", 1)[0]
    hashed = rendition_hash(source_name, width, format)
    return f"{RENDITIONS_DIR}/{stem}/{width}w-{hashed}.{EXTENSIONS[format]}"


@dataclass(frozen=True)
class RenditionInfo:
    width: int
    height: int
    format: str
    name: str

    @property
    def url(self) -> str:
        return _rendition_url_prefix(get_script_prefix()) + self.name.removeprefix(
            f"{RENDITIONS_DIR}/"
        )


@lru_cache(maxsize=8)
def _rendition_url_prefix(script_prefix: str) -> str:
    # reverse() once per script prefix rather than six times per card.
    return reverse("image-rendition", kwargs={"name": "x"})[:-1]


def rendition_size(source_width: int, source_height: int, width: int) -> tuple[int, int]:
    """The size pilkit's ResizeToFit(width, upscale=False) makes, computed the same way."""
    if width >= source_width:
        return source_width, source_height
    ratio = float(width) / source_width
    return round(source_width * ratio), round(source_height * ratio)


def _slot(instance, field: str):
    """The image, its recorded size and its widths, or None when there is nothing to show."""
    image = getattr(instance, field, None)
    width = getattr(instance, f"{field}_width", None)
    height = getattr(instance, f"{field}_height", None)
    # An upload not yet saved (a form shown again with an error) has no renditions yet.
    if not image or not width or not height or not getattr(image, "_committed", True):
        return None
    return image, width, height, instance.rendition_widths[field]


def renditions(instance, field: str = "image") -> list[RenditionInfo]:
    """Every rendition of `instance.<field>`, smallest first, WebP before the fallback of each
    width; [] without an image (or without its recorded size). Touches no storage."""
    slot = _slot(instance, field)
    if slot is None:
        return []
    image, source_width, source_height, widths = slot
    return list(_renditions_of(image.name, source_width, source_height, tuple(widths)))


@lru_cache(maxsize=4096)
def _renditions_of(
    name: str, source_width: int, source_height: int, widths: tuple[int, ...]
) -> tuple[RenditionInfo, ...]:
    # Pure arithmetic and hashing on the name, kept per process: a list page shows the same
    # images on every request.
    result = []
    # A small upload is not enlarged: every width past its own collapses into one.
    for width in sorted({min(width, source_width) for width in widths}):
        shown_width, shown_height = rendition_size(source_width, source_height, width)
        for format in (WEBP, fallback_format(name)):
            result.append(
                RenditionInfo(
                    shown_width, shown_height, format, rendition_name(name, width, format)
                )
            )
    return tuple(result)


def fallback_rendition(instance, width: int, field: str = "image") -> RenditionInfo | None:
    """The JPEG or PNG rendition (which every link preview reads) closest to `width` and at
    least as wide when there is one; None without an image."""
    fallbacks = [info for info in renditions(instance, field) if info.format != WEBP]
    if not fallbacks:
        return None
    return next((info for info in fallbacks if info.width >= width), fallbacks[-1])


def rendition_url(instance, width: int, field: str = "image") -> str:
    """The URL of `fallback_rendition`, for og:image and JSON-LD; "" without an image.
    Relative: make it absolute with the request."""
    info = fallback_rendition(instance, width, field)
    return info.url if info else ""


def make_renditions(
    instance, field: str = "image", *, missing_only: bool = False, replace: bool = False
) -> list[RenditionInfo]:
    """Write the renditions of `instance.<field>` to the storage and return those written.

    On save a new upload has new names, so nothing is looked up first. `manage.py
    make_renditions` asks the storage: `missing_only` writes only what is not there,
    `replace` deletes and writes everything again."""
    image = getattr(instance, field)
    written = []
    for info in renditions(instance, field):
        if missing_only or replace:
            exists = default_storage.exists(info.name)
            if exists and missing_only and not replace:
                continue
            if exists:
                default_storage.delete(info.name)
        # The rendition's width is the width it was named for (never more than the upload's).
        spec = Rendition(image, info.width, info.format)
        ImageCacheFile(spec, name=info.name, storage=default_storage).generate(force=True)
        written.append(info)
    return written


def attach_image(instance, content, field: str = "image") -> None:
    """Store `content` as `instance.<field>`, record its size and make its renditions, writing
    only those columns: no full save, so no timestamps, history or search rows move (for
    loaddemo; editors' uploads go through the model's save)."""
    file = getattr(instance, field)
    kind = image_kind(content)  # the upload path names the file after its checked format
    if kind is None:
        raise ValueError(f"{content.name!r} is no PNG, JPEG or WebP image")
    file.save(f"image.{kind.extension}", content, save=False)
    width, height = oriented_size(file)
    setattr(instance, f"{field}_width", width)
    setattr(instance, f"{field}_height", height)
    type(instance)._default_manager.filter(pk=instance.pk).update(
        **{field: file.name, f"{field}_width": width, f"{field}_height": height}
    )
    instance._image_names_at_load = {
        **getattr(instance, "_image_names_at_load", {}),
        field: file.name,
    }
    make_renditions(instance, field)


def record_size(instance, field: str = "image") -> bool:
    """Read and save the size of an image stored before sizes were recorded; False when the
    file is missing or no image."""
    try:
        width, height = oriented_size(getattr(instance, field))
    except UNREADABLE:
        return False
    setattr(instance, f"{field}_width", width)
    setattr(instance, f"{field}_height", height)
    # Only these two columns: no timestamps, history or search rows move for it.
    type(instance)._default_manager.filter(pk=instance.pk).update(
        **{f"{field}_width": width, f"{field}_height": height}
    )
    return True


def oriented_size(image) -> tuple[int, int]:
    """The size an image is shown at: width and height swapped for a photo stored sideways.
    Reads the upload in hand, or the stored file when there is none."""
    image.open("rb")
    image.seek(0)
    try:
        with Image.open(image) as opened:
            width, height = opened.size
            if opened.getexif().get(EXIF_ORIENTATION) in QUARTER_TURNS:
                width, height = height, width
    finally:
        image.seek(0)
    return width, height


class RenditionsMixin:
    """Records the size of each image in `rendition_widths` when it changes and makes its
    renditions right after the save. Each field `<name>` needs `<name>_width` and
    `<name>_height` beside it (nullable integers, not editable).

    "Changes": a new upload (not yet in the storage), or a name other than the one the row was
    loaded with (a file saved with `field.save(...)` first, or a name set by code)."""

    rendition_widths: ClassVar[dict[str, tuple[int, ...]]] = {}

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._image_names_at_load = {
            field: instance.__dict__.get(field) for field in cls.rendition_widths
        }
        return instance

    def _changed_images(self) -> list[str]:
        at_load = getattr(self, "_image_names_at_load", {})
        deferred = self.get_deferred_fields()
        changed = []
        for field in self.rendition_widths:
            if field in deferred:  # not loaded, so not changed (and no query to find out)
                continue
            image = getattr(self, field)
            if not image:
                if getattr(self, f"{field}_width") is not None:
                    changed.append(field)
            elif not image._committed or image.name != at_load.get(field):
                changed.append(field)
        return changed

    def save(self, *args, **kwargs) -> None:
        changed = self._changed_images()
        for field in changed:
            image = getattr(self, field)
            try:
                width, height = oriented_size(image) if image else (None, None)
            except UNREADABLE:
                # Uploads are checked before they get here; this is a name set by code to a
                # file that is missing or no image. Saved without size, so pages show nothing.
                logger.warning("No renditions for %s.%s: %s is unreadable", self, field, image)
                width = height = None
            setattr(self, f"{field}_width", width)
            setattr(self, f"{field}_height", height)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    f"{field}_width",
                    f"{field}_height",
                }
        super().save(*args, **kwargs)
        for field in changed:
            if getattr(self, f"{field}_width"):
                make_renditions(self, field)
        self._image_names_at_load = {
            field: getattr(self, field).name
            for field in self.rendition_widths
            if field not in self.get_deferred_fields()
        }


def image_upload_to(instance, filename: str) -> str:
    """afbeeldingen/<year>/<random>.<extension of the checked format>."""
    directory = f"afbeeldingen/{timezone.localdate():%Y}"
    return checked_image_name(directory, getattr(instance, "image", None), filename)


class CoverImage(RenditionsMixin, models.Model):
    """A cover image (or a portrait) with its alt text; the concrete model's Meta adds
    `*image_constraints()` to its constraints so the database holds the alt-text rule too."""

    image = models.ImageField(
        _("afbeelding"),
        upload_to=image_upload_to,
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image],
        help_text=_("PNG, JPEG of WebP; liefst minstens 1200 pixels breed. Geen SVG."),
    )
    image_alt = models.CharField(
        _("alternatieve tekst"),
        max_length=250,
        blank=True,
        help_text=_(
            "Wat een schermlezer voorleest in plaats van de afbeelding: wat erop te zien is "
            "en ertoe doet. Verplicht, tenzij de afbeelding alleen decoratief is."
        ),
    )
    image_decorative = models.BooleanField(
        _("alleen decoratief"),
        default=False,
        help_text=_(
            "Aanvinken als de afbeelding niets toevoegt aan de tekst; schermlezers slaan haar "
            "dan over."
        ),
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    rendition_widths: ClassVar[dict[str, tuple[int, ...]]] = {"image": COVER_WIDTHS}

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.image and not self.image_decorative and not self.image_alt.strip():
            raise ValidationError(
                {
                    "image_alt": _(
                        "Geef de afbeelding een alternatieve tekst, of vink 'alleen decoratief' "
                        "aan als zij niets toevoegt aan de tekst."
                    )
                }
            )


def image_constraints(field: str = "image") -> list[models.CheckConstraint]:
    """The database's half of the alt-text rule, for a concrete model's Meta.constraints:
    `constraints = [..., *image_constraints()]` (named per model through %(class)s)."""
    return [
        models.CheckConstraint(
            condition=Q(**{field: ""})
            | Q(**{f"{field}_decorative": True})
            | ~Q(**{f"{field}_alt": ""}),
            name=f"%(app_label)s_%(class)s_{field}_has_alt",
            violation_error_message=_(
                "Geef de afbeelding een alternatieve tekst of vink 'alleen decoratief' aan."
            ),
        )
    ]


# What a rendition's path looks like: only these are served, nothing else from the storage.
RENDITION_NAME = re.compile(r"[a-z0-9_-]+(?:/[a-z0-9_-]+)*/\d+w-[0-9a-f]{12}\.(webp|jpg|png)")


def rendition_view(request: HttpRequest, name: str) -> FileResponse:
    """A rendition from the storage, cached for a year by browsers and proxies: its URL changes
    whenever its content would. Only names shaped like a rendition's are looked up.

    A draft's image is not refused here: its URL holds the upload's random name and a hash,
    and is only ever shown on an editor's preview."""
    match = RENDITION_NAME.fullmatch(name)
    if match is None:
        raise Http404
    try:
        handle = default_storage.open(f"{RENDITIONS_DIR}/{name}", "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=CONTENT_TYPES[match.group(1)])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
    return response
