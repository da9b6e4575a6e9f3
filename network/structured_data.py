"""schema.org JSON-LD for organisations and people (see ikpob_portal.kernel.structured_data).

The references (`organisation_reference`, `person_reference`) are what other apps use for a
publisher, an author or a participant: a name, and a link only when the page is public.
"""

from ikpob_portal.kernel.links import safe_url
from ikpob_portal.kernel.structured_data import (
    Absolute,
    document,
    image,
    node,
    plain_text,
    public_url,
    theme_terms,
)
from network.models import Organisation, Person


def organisation_type(organisation: Organisation) -> str:
    if organisation.is_government:
        return "GovernmentOrganization"
    if organisation.kind == Organisation.Kind.UNIVERSITEIT:
        return "CollegeOrUniversity"
    return "Organization"


def organisation_same_as(organisation: Organisation) -> list[str]:
    urls = (organisation.website, organisation.tooi_uri, organisation.ror_id)
    return [url for url in map(safe_url, urls) if url]


def organisation_reference(organisation: Organisation, absolute: Absolute) -> dict:
    return node(
        organisation_type(organisation),
        name=organisation.name,
        alternateName=organisation.short_name,
        url=public_url(organisation, absolute),
        sameAs=organisation_same_as(organisation),
    )


def person_reference(person: Person, absolute: Absolute) -> dict:
    return node(
        "Person",
        name=person.full_name,
        url=public_url(person, absolute),
        sameAs=person.orcid_url,
    )


def organisation(organisation: Organisation, absolute: Absolute) -> dict:
    """Expects the themes prefetched (`for_cards()`), as the detail view does."""
    return document(
        organisation_type(organisation),
        name=organisation.name,
        alternateName=organisation.short_name,
        url=absolute(organisation.get_absolute_url()),
        sameAs=organisation_same_as(organisation),
        description=plain_text(organisation.description),
        # The logo's PNG or JPEG rendition; the uploaded file itself for a logo stored before
        # renditions were made (until `make_renditions` has run).
        logo=image(organisation, absolute, width=320, field="logo")
        or (absolute(organisation.logo_url) if organisation.logo else ""),
        knowsAbout=theme_terms(organisation.theme_list, absolute),
    )


def person(person: Person, absolute: Absolute) -> dict:
    """Expects affiliations and themes prefetched (`for_cards()`), as the detail view does."""
    return document(
        "Person",
        name=person.full_name,
        givenName=person.given_name,
        familyName=" ".join(part for part in (person.particle, person.family_name) if part),
        url=absolute(person.get_absolute_url()),
        sameAs=person.orcid_url,
        jobTitle=person.title,
        image=image(person, absolute, width=640),
        description=plain_text(person.bio),
        affiliation=[
            organisation_reference(affiliation.organisation, absolute)
            for affiliation in person.current_affiliations
            if affiliation.organisation.is_published
        ],
        knowsAbout=theme_terms(person.theme_list, absolute),
    )
