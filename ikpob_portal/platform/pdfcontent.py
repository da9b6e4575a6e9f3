"""Active content in a PDF: what a PDF reader could run or open by itself.

A publication's PDF is opened by visitors in whatever reader they have. Scripts, launch
actions, embedded files, multimedia and XFA forms are no part of a report and have been the
way in for attacks on readers, so `uploads.validate_pdf` refuses a PDF that has any of them.

The check parses the file with pypdf and walks every object reachable from the trailer (the
catalog with its /OpenAction, /AA and /Names tree, the AcroForm, the pages with their /AA and
annotations and the annotations' actions), looking at names only: streams are not decoded,
so a large PDF costs a walk over its objects and no more. pypdf undoes `#xx` escapes in names,
so /J#61vaScript is /JavaScript here as it is in a reader.
"""

from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

# Action types that run something, open something outside the document or send data away.
ACTIVE_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/GoToE": "embedded_file",
    "/ImportData": "launch",
    "/SubmitForm": "submit",
    "/RichMediaExecute": "rich_media",
}
# Keys whose mere presence is active content, wherever they are.
ACTIVE_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",  # the /Names tree's document-level scripts
    "/AA": "additional_actions",
    "/EmbeddedFiles": "embedded_file",
    "/EF": "embedded_file",
    "/XFA": "xfa",
    "/RichMediaContent": "rich_media",
    "/RichMediaSettings": "rich_media",
}
ACTIVE_TYPES = {
    "/EmbeddedFile": "embedded_file",
    "/FileAttachment": "embedded_file",
    "/RichMedia": "rich_media",
    "/Movie": "rich_media",
    "/Sound": "rich_media",
    "/Screen": "rich_media",
    "/3D": "rich_media",
}
# A bound on the walk: far more objects than any report has.
MAX_OBJECTS = 500_000


class UnreadablePdf(Exception):
    """pypdf could not parse the file, or it is encrypted with a password."""


def _findings(root: PdfObject) -> Iterator[str]:
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [root]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            reference = (item.idnum, item.generation)
            if reference in seen:
                continue
            seen.add(reference)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise UnreadablePdf("too many objects")
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    yield ACTIVE_KEYS[key]
                if key == "/S" and str(value) in ACTIVE_ACTIONS:
                    yield ACTIVE_ACTIONS[str(value)]
                if key in ("/Type", "/Subtype") and str(value) in ACTIVE_TYPES:
                    yield ACTIVE_TYPES[str(value)]
                # /Parent leads back up the page tree, already on the way.
                if key != "/Parent":
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def active_content(file) -> set[str]:
    """The kinds of active content in the PDF `file` (empty for a plain document), read from
    its start and left there. Raises UnreadablePdf when pypdf cannot read it."""
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            # An owner password only (printing, copying) opens with an empty user password.
            try:
                if not reader.decrypt(""):
                    raise UnreadablePdf("encrypted")
            except (NotImplementedError, FileNotDecryptedError) as error:
                raise UnreadablePdf("encrypted") from error
        return set(_findings(reader.trailer))
    except UnreadablePdf:
        raise
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        raise UnreadablePdf(str(error)) from error
    finally:
        file.seek(0)
