"""'Citeer dit': APA 7 (Dutch conventions), BibTeX and RIS for one publication."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import override

from ikpob_portal.kernel.links import safe_url
from network.models import Organisation, Person

BIBTEX_TYPES = {
    "boek": "book",
    "rapport": "techreport",
    "essay": "techreport",
    "artikel": "article",
}
RIS_TYPES = {
    "boek": "BOOK",
    "rapport": "RPRT",
    "essay": "RPRT",
    "artikel": "JOUR",
    "video": "VIDEO",
    "instrument": "GEN",
    "casus": "GEN",
}
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
APA_MAX_LISTED_AUTHORS = 20


@dataclass(frozen=True)
class Citation:
    text: str  # for the clipboard
    html: SafeString  # with the title in italics


def apa_name(person: Person) -> str:
    """Dutch APA: 'Steen, M. van der' — family name, initials, then the particle."""
    initials = person.initials
    tail = " ".join(part for part in (initials, person.particle) if part)
    return f"{person.family_name}, {tail}" if tail else person.family_name


def apa_author_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]}, & {names[1]}"
    if len(names) > APA_MAX_LISTED_AUTHORS:
        return ", ".join(names[: APA_MAX_LISTED_AUTHORS - 1]) + ", … " + names[-1]
    return ", ".join(names[:-1]) + f", & {names[-1]}"


def _apa_title(publication) -> str:
    title = publication.title.rstrip(".")
    if publication.subtitle:
        subtitle = publication.subtitle.rstrip(".")
        title = f"{title}: {subtitle[:1].upper()}{subtitle[1:]}"
    return title


def _apa_date(publication) -> str:
    if not publication.publication_year:
        return "z.d."  # APA's "no date", in the Dutch of the citation
    # Recordings are dated to the day; books, reports and essays by year (APA 7).
    if publication.kind == "video" and publication.publication_month:
        # The citation is Dutch (lang="nl") on the English pages too, month name included.
        with override("nl"):
            day_month = publication.date_display.rsplit(" ", 1)[0]
        return f"{publication.publication_year}, {day_month}"
    return str(publication.publication_year)


def _ensure_period(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def apa(publication, *, url: str = "") -> Citation:
    creators = publication.creators()
    authors = [apa_name(c) for c in creators if not isinstance(c, Organisation)]
    publisher = publication.publisher.name if publication.publisher else ""
    title = _apa_title(publication)
    italic = publication.kind != "artikel"
    description = " [Video]" if publication.kind == "video" else ""
    link = publication.doi_url or safe_url(publication.external_url) or url

    if authors:
        creator = apa_author_list(authors)
    elif publisher:
        creator = publisher  # a group author; not repeated as publisher below
    else:
        creator = ""

    # Whether the title needs a closing period is decided on the plain text, not the markup.
    title_end = "" if _ensure_period(title + description) == title + description else "."

    def build(title_markup: str, esc) -> str:
        parts = []
        date = f"({_apa_date(publication)})."
        title_part = f"{title_markup}{esc(description)}{title_end}"
        if creator:
            parts += [_ensure_period(esc(creator)), esc(date), title_part]
        else:
            parts += [title_part, esc(date)]
        if publisher and publisher != creator:
            parts.append(_ensure_period(esc(publisher)))
        if link:
            parts.append(esc(link))
        return " ".join(parts)

    text = build(title, str)
    title_html = f"<i>{escape(title)}</i>" if italic else escape(title)
    return Citation(text=text, html=mark_safe(build(title_html, escape)))


BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Fields BibTeX tools read literally: escaping would break the link; `author` comes escaped.
BIBTEX_VERBATIM = {"url", "doi", "author"}


def _bibtex_escape(value: str) -> str:
    return re.sub(r"[\\{}&%$#_~^]", lambda match: BIBTEX_SPECIAL[match.group()], value)


def _bibtex_field(name: str, value: str) -> str:
    if name == "month":
        return f"  {name} = {value}"  # a BibTeX macro (jan, feb, …), not a string
    if name in BIBTEX_VERBATIM:
        return f"  {name} = {{{value}}}"
    return f"  {name} = {{{_bibtex_escape(value)}}}"


def bibtex_key(publication) -> str:
    authors = publication.ordered_authors
    base = authors[0].family_name if authors else publication.title.split()[0]
    first_word = next((w for w in re.findall(r"\w+", publication.title) if len(w) > 3), "")
    raw = f"{base}{publication.publication_year or ''}{first_word}"
    return re.sub(r"[^A-Za-z0-9]", "", raw.replace("'", "")) or publication.slug


def bibtex_name(creator: Person | Organisation) -> str:
    """Escaped: "von Last, First", so BibTeX styles sort "van der Steen" under S; an
    organisation in braces, so its name is not split into given and family names."""
    if isinstance(creator, Organisation):
        return f"{{{_bibtex_escape(creator.name)}}}"
    return _bibtex_escape(
        " ".join(p for p in (creator.particle, creator.family_name) if p)
        + (f", {creator.given_name}" if creator.given_name else "")
    )


def bibtex(publication, *, url: str = "") -> str:
    entry_type = BIBTEX_TYPES.get(publication.kind, "misc")
    authors = [bibtex_name(creator) for creator in publication.creators()]
    publisher = publication.publisher.name if publication.publisher else ""
    fields: list[tuple[str, str]] = [("title", publication.full_title)]
    if authors:
        fields.append(("author", " and ".join(authors)))
    if publication.publication_year:
        fields.append(("year", str(publication.publication_year)))
    if publication.publication_month:
        fields.append(("month", BIBTEX_MONTHS[publication.publication_month - 1]))
    if publisher:
        fields.append(("institution" if entry_type == "techreport" else "publisher", publisher))
    if entry_type == "misc":
        fields.append(("howpublished", publication.get_kind_display()))
    if publication.isbn:
        fields.append(("isbn", publication.isbn))
    if publication.doi:
        fields.append(("doi", publication.doi))
    link = safe_url(publication.external_url) or url
    if link:
        fields.append(("url", link))
    fields.append(
        (
            "language",
            {"nl": "dutch", "en": "english"}.get(publication.language, publication.language),
        )
    )
    keywords = ", ".join(theme.name for theme in publication.theme_list)
    if keywords:
        fields.append(("keywords", keywords))
    if publication.summary:
        fields.append(("abstract", " ".join(publication.summary.split())))
    body = ",\n".join(_bibtex_field(name, value) for name, value in fields)
    return f"@{entry_type}{{{bibtex_key(publication)},\n{body}\n}}\n"


def ris(publication, *, url: str = "") -> str:
    lines = [("TY", RIS_TYPES.get(publication.kind, "GEN"))]
    lines += [("AU", name) for name in publication.creator_names()]
    lines.append(("TI", publication.full_title))
    if publication.publication_year:
        lines.append(("PY", str(publication.publication_year)))
    if publication.publication_year and publication.publication_month:
        day = f"{publication.publication_day:02d}" if publication.publication_day else ""
        lines.append(
            ("DA", f"{publication.publication_year}/{publication.publication_month:02d}/{day}/")
        )
    if publication.publisher:
        lines.append(("PB", publication.publisher.name))
    if publication.isbn:
        lines.append(("SN", publication.isbn))
    if publication.doi:
        lines.append(("DO", publication.doi))
    link = safe_url(publication.external_url) or url
    if link:
        lines.append(("UR", link))
    lines.append(("LA", publication.language))
    lines += [("KW", theme.name) for theme in publication.theme_list]
    if publication.summary:
        lines.append(("AB", " ".join(publication.summary.split())))
    lines.append(("ER", ""))
    # RIS wants CRLF line ends; "ER  -" closes the record.
    return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines)
