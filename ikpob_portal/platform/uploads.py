"""What editors may upload, checked by content rather than by name: PDFs and logo images.

Every app's file fields use these validators and name generators, so one set of rules holds
for every upload. A file is stored under a generated name (never the uploader's), and a stored
file reaches visitors only through a view that sets the content type from what was checked
here (`publications.views.download`, `network.views.organisation_logo`).

The validators check new uploads only: a file already in storage was checked when it came in
(or was written by `loaddemo`), and reading it back from object storage on every save of the
form would cost a request to the bucket.
"""

import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from ikpob_portal.platform import pdfcontent

MEGABYTE = 1024 * 1024  # as filesizeformat counts, so "26,0 MB" and "25 MB" compare honestly

PDF_HEADER = b"%PDF-"
PDF_END = b"%%EOF"
# PDF readers accept the header anywhere in the first kilobyte, and the end marker in the last.
PDF_HEAD_BYTES = 1024
PDF_TAIL_BYTES = 1024
# What a web page, an SVG or a script starts with: never in the first kilobyte of a real PDF,
# and the sign of a polyglot file that a browser could be tricked into rendering.
MARKUP_SIGNS = (b"<html", b"<!doctype", b"<body", b"<script", b"<svg", b"<iframe")


# What an editor is told a PDF contains (ikpob_portal/platform/pdfcontent.py), in this order.
ACTIVE_CONTENT_NAMES = {
    "javascript": _("JavaScript"),
    "launch": _("een opdracht om een programma of bestand te openen"),
    "additional_actions": _("automatische acties bij openen, bladeren of klikken"),
    "submit": _("een formulier dat gegevens verstuurt"),
    "embedded_file": _("ingesloten bestanden (bijlagen)"),
    "rich_media": _("video, geluid of 3D-inhoud"),
    "xfa": _("een XFA-formulier"),
}


@dataclass(frozen=True)
class ImageKind:
    pillow_format: str
    extension: str
    content_type: str


# Only raster formats a browser shows as an image and nothing else: no SVG (it can carry
# script), no formats that browsers do not show (TIFF) or that Pillow reads loosely.
IMAGE_KINDS = {
    kind.pillow_format: kind
    for kind in (
        ImageKind("PNG", "png", "image/png"),
        ImageKind("JPEG", "jpg", "image/jpeg"),
        ImageKind("WEBP", "webp", "image/webp"),
    )
}
IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
# A logo needs far less; a few hundred kilobytes of PNG can otherwise unpack to gigabytes.
MAX_IMAGE_SIDE = 5000


def is_new_upload(value) -> bool:
    """True for a file that came with this request, not yet written to storage."""
    return not getattr(value, "_committed", False)


def _check_size(value, limit_mb: int, too_large_message) -> None:
    size = value.size
    if not size:
        raise ValidationError(
            _("Dit bestand is leeg. Kies het bestand opnieuw en upload het nog eens."),
            code="empty",
        )
    if size > limit_mb * MEGABYTE:
        raise ValidationError(
            too_large_message,
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": limit_mb},
        )


def _head_and_tail(value) -> tuple[bytes, bytes]:
    value.seek(0)
    head = value.read(PDF_HEAD_BYTES)
    value.seek(max(0, value.size - PDF_TAIL_BYTES))
    tail = value.read(PDF_TAIL_BYTES)
    value.seek(0)
    return head, tail


def validate_pdf(value) -> None:
    """A real PDF within the size limit: the header in the first kilobyte, no web page in
    front of it, the end marker in the last kilobyte (a cut-off upload has none), readable by
    pypdf and without active content (scripts, launch actions, embedded files, multimedia,
    XFA forms, automatic actions), which a visitor's PDF reader might run."""
    if not is_new_upload(value):
        return
    _check_size(
        value,
        settings.UPLOAD_MAX_PDF_MB,
        _("Dit bestand is %(size)s; een PDF mag hoogstens %(limit)s MB zijn."),
    )
    head, tail = _head_and_tail(value)
    start = head.find(PDF_HEADER)
    lowered = head.lower()
    if start < 0 or b"<" in head[:start] or any(sign in lowered for sign in MARKUP_SIGNS):
        raise ValidationError(
            _("Dit bestand is geen PDF. Upload een PDF-bestand (.pdf)."), code="not_pdf"
        )
    if PDF_END not in tail:
        raise ValidationError(
            _(
                "Dit PDF-bestand is onvolledig: het einde ontbreekt. Sla het opnieuw op als PDF "
                "en upload het nog eens."
            ),
            code="pdf_incomplete",
        )
    try:
        found = pdfcontent.active_content(value)
    except pdfcontent.UnreadablePdf:
        # What cannot be read cannot be checked; a reader may still make something of it.
        raise ValidationError(
            _(
                "Dit PDF-bestand kan niet gelezen en gecontroleerd worden: het is beschadigd of "
                "met een wachtwoord beveiligd. Sla het opnieuw op als PDF, zonder wachtwoord, "
                "en upload het nog eens."
            ),
            code="pdf_unreadable",
        ) from None
    if found:
        # In the language of the request validating the upload (the editor's).
        kinds = "; ".join(str(name) for kind, name in ACTIVE_CONTENT_NAMES.items() if kind in found)
        raise ValidationError(
            _(
                "Deze PDF bevat actieve inhoud die een PDF-lezer zelf kan uitvoeren: %(kinds)s. "
                "Dat is niet toegestaan. Maak een PDF zonder die inhoud (bijvoorbeeld met "
                "'Afdrukken naar PDF' of 'Opslaan als PDF/A') en upload die."
            ),
            code="pdf_active_content",
            params={"kinds": kinds},
        )


@contextmanager
def _opened_image(file) -> Iterator[Image.Image]:
    """`file` opened by Pillow as PNG, JPEG or WebP only, from its start and back to it after.
    Pillow only warns between its pixel limit and twice that; here both refuse the file."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=list(IMAGE_KINDS)) as image:
                yield image
    finally:
        file.seek(0)


def image_kind(file) -> ImageKind | None:
    """The kind of a PNG, JPEG or WebP file from its header, or None; leaves it at the start."""
    try:
        with _opened_image(file) as image:
            return IMAGE_KINDS.get(image.format)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    except (OSError, SyntaxError, ValueError):
        return None


def validate_image(value) -> None:
    """A PNG, JPEG or WebP image within the size limit and MAX_IMAGE_SIDE pixels a side,
    decoded completely (a cut-off file, or one that only starts like an image, is refused)."""
    if not is_new_upload(value):
        return
    _check_size(
        value,
        settings.UPLOAD_MAX_IMAGE_MB,
        _("Dit bestand is %(size)s; een afbeelding mag hoogstens %(limit)s MB zijn."),
    )
    not_an_image = ValidationError(
        _(
            "Dit bestand is geen PNG-, JPEG- of WebP-afbeelding. "
            "Upload een van die drie (geen SVG)."
        ),
        code="not_image",
    )
    too_many_pixels = _(
        "Deze afbeelding is te groot: %(width)s × %(height)s pixels. Een afbeelding mag hoogstens "
        "%(limit)s × %(limit)s pixels zijn."
    )
    try:
        with _opened_image(value) as image:
            width, height = image.size
            if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
                raise ValidationError(
                    too_many_pixels,
                    code="image_too_large",
                    params={"width": width, "height": height, "limit": MAX_IMAGE_SIDE},
                )
            image.load()  # decodes every pixel: a truncated file raises here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _(
                "Deze afbeelding heeft te veel pixels. Een afbeelding mag hoogstens "
                "%(limit)s × %(limit)s pixels zijn."
            ),
            code="image_too_large",
            params={"limit": MAX_IMAGE_SIDE},
        ) from None
    except UnidentifiedImageError:
        raise not_an_image from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _(
                "Deze afbeelding is beschadigd of onvolledig. Sla haar opnieuw op als PNG, "
                "JPEG of WebP en upload haar nog eens."
            ),
            code="image_damaged",
        ) from None


def _generated_name() -> str:
    return uuid.uuid4().hex


def pdf_upload_to(instance, filename: str) -> str:
    """publicaties/<year>/<random>.pdf: the uploader's file name never reaches the storage
    (it may carry personal data, or a name that another upload already has)."""
    return f"publicaties/{timezone.localdate():%Y}/{_generated_name()}.pdf"


def checked_image_name(directory: str, image, filename: str) -> str:
    """<directory>/<random>.<extension of the checked format> for the image being uploaded."""
    kind = None
    if image and is_new_upload(image):
        kind = image_kind(image)
    if kind is not None:
        extension = kind.extension
    else:
        suffix = PurePosixPath(filename).suffix.lower().lstrip(".")
        extension = "jpg" if suffix == "jpeg" else suffix
        if extension not in IMAGE_EXTENSIONS:
            extension = "img"
    return f"{directory}/{_generated_name()}.{extension}"


def logo_upload_to(instance, filename: str) -> str:
    """logos/<random>.<extension of the checked format>."""
    return checked_image_name("logos", getattr(instance, "logo", None), filename)
