"""What a publication page tells search engines and reference managers about the publication.

`json_ld` is schema.org (see ikpob_portal.kernel.structured_data); `citation_meta` are the Highwire
Press `citation_*` tags that Google Scholar and Zotero read. Both expect a publication fetched
with `for_cards()` (authors and themes prefetched), as the detail view does.
"""

from django.urls import reverse

from ikpob_portal.kernel.links import safe_url
from ikpob_portal.kernel.structured_data import Absolute, document, image, node, theme_terms
from network.models import Organisation
from network.structured_data import organisation_reference, person_reference
from publications.models import Publication

Kind = Publication.Kind
SCHEMA_TYPES = {
    Kind.ESSAY: "ScholarlyArticle",
    Kind.ARTIKEL: "ScholarlyArticle",
    Kind.BOEK: "Book",
    Kind.RAPPORT: "Report",
    Kind.VIDEO: "VideoObject",
}
Licence = Publication.Licence
LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


def schema_type(publication: Publication) -> str:
    return SCHEMA_TYPES.get(publication.kind, "CreativeWork")


def pdf_url(publication: Publication, absolute: Absolute) -> str:
    if not publication.pdf:
        return ""
    return absolute(reverse("publications:download", kwargs={"slug": publication.slug}))


def creator_references(publication: Publication, absolute: Absolute) -> list[dict]:
    """`Publication.creators()` as schema.org: people, or the organisation behind it."""
    return [
        organisation_reference(creator, absolute)
        if isinstance(creator, Organisation)
        else person_reference(creator, absolute)
        for creator in publication.creators()
    ]


def json_ld(
    publication: Publication, absolute: Absolute, *, commissioners: list | None = None
) -> dict:
    type_ = schema_type(publication)
    identifiers = []
    if publication.doi:
        identifiers.append(
            node("PropertyValue", propertyID="DOI", value=publication.doi, url=publication.doi_url)
        )
    if publication.isbn:
        identifiers.append(node("PropertyValue", propertyID="ISBN", value=publication.isbn))
    pdf = pdf_url(publication, absolute)
    return document(
        type_,
        name=publication.title,
        headline=publication.title,
        alternativeHeadline=publication.subtitle,
        author=creator_references(publication, absolute),
        publisher=(
            organisation_reference(publication.publisher, absolute)
            if publication.publisher
            else None
        ),
        funder=[organisation_reference(o, absolute) for o in commissioners or []],
        datePublished=publication.date_iso,
        # Google asks a video for the day it went online; ours is the date of the recording.
        uploadDate=publication.date_iso if type_ == "VideoObject" else None,
        about=theme_terms(publication.theme_list, absolute),
        keywords=", ".join(theme.name for theme in publication.theme_list),
        inLanguage=publication.language,
        description=publication.summary,
        image=image(publication, absolute),
        url=absolute(publication.get_absolute_url()),
        identifier=identifiers,
        # `isbn` is a property of Book only; other kinds carry it in `identifier`.
        isbn=publication.isbn if type_ == "Book" else None,
        sameAs=[url for url in (publication.doi_url, safe_url(publication.external_url)) if url],
        license=LICENCE_URLS.get(publication.licence),
        encoding=(
            node("MediaObject", contentUrl=pdf, encodingFormat="application/pdf") if pdf else None
        ),
    )


def citation_date(publication: Publication) -> str:
    """'2020/09/22' when the day is known, else '2020': the forms Google Scholar reads."""
    if not publication.publication_year:
        return ""
    if publication.publication_month and publication.publication_day:
        return (
            f"{publication.publication_year:04d}/{publication.publication_month:02d}/"
            f"{publication.publication_day:02d}"
        )
    return f"{publication.publication_year:04d}"


def citation_meta(publication: Publication, absolute: Absolute) -> list[tuple[str, str]]:
    """Highwire Press tags as (name, content), authors in order as "Steen, Martijn van der"
    (the publisher when no person is named: `Publication.creators()`)."""
    tags = [("citation_title", publication.full_title)]
    tags += [("citation_author", name) for name in publication.creator_names()]
    optional = [
        ("citation_publication_date", citation_date(publication)),
        ("citation_pdf_url", pdf_url(publication, absolute)),
        ("citation_publisher", publication.publisher.name if publication.publisher else ""),
        ("citation_doi", publication.doi),
        ("citation_isbn", publication.isbn),
        ("citation_language", publication.language),
        ("citation_keywords", "; ".join(theme.name for theme in publication.theme_list)),
    ]
    return tags + [(name, content) for name, content in optional if content]
