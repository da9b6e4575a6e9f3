"""OAI-PMH 2.0 at /oai/: what a harvester (a library catalogue, NARCIS-like aggregators) sees.

No XML Schema validation: no installed package ships OAI-PMH.xsd or oai_dc.xsd, and the
schemas are not fetched at run time. Structure and namespaces are checked with lxml, and
a real harvester (Sickle) reads the endpoint end to end.
"""

import os
import re
import subprocess
import sys
from datetime import UTC, timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from sickle import Sickle
from sickle.iterator import OAIResponseIterator

from ikpob_portal.kernel.models import Publishable
from publications import oai
from publications.models import Authorship, Publication, WithdrawnPublication
from tests.factories import (
    MINIMAL_PDF,
    make_news_item,
    make_organisation,
    make_page,
    make_person,
    make_publication,
    make_theme,
)

pytestmark = pytest.mark.django_db

NS = {
    "oai": oai.OAI_NS,
    "oai_dc": oai.OAI_DC_NS,
    "dc": oai.DC_NS,
    "xsi": oai.XSI_NS,
    "id": oai.OAI_IDENTIFIER_NS,
}
DATESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@pytest.fixture(autouse=True)
def _repository_identifier(settings):
    settings.OAI_REPOSITORY_IDENTIFIER = "ikpob.nl"


@pytest.fixture
def base():
    """A whole second a month ago: datestamps relative to it are easy to write down."""
    return timezone.now().replace(microsecond=0) - timedelta(days=30)


def harvest(client, method: str = "get", *, headers=None, **arguments) -> etree._Element:
    response = getattr(client, method)(reverse("oai"), arguments, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return etree.fromstring(response.content)


def error_of(root: etree._Element) -> str | None:
    error = root.find("oai:error", NS)
    return None if error is None else error.get("code")


def stamp(publication: Publication, moment) -> None:
    """Make `moment` the publication's datestamp (last saved, and public since then)."""
    Publication.objects.filter(pk=publication.pk).update(updated=moment, published_at=moment)


def oai_id(publication: Publication) -> str:
    return f"oai:ikpob.nl:publication/{publication.pk}"


def identifiers(root: etree._Element) -> list[str]:
    return root.xpath(".//oai:header/oai:identifier/text()", namespaces=NS)


def deleted_identifiers(root: etree._Element) -> list[str]:
    return root.xpath(".//oai:header[@status='deleted']/oai:identifier/text()", namespaces=NS)


def list_identifiers(client, **arguments) -> etree._Element:
    return harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)


# --- The envelope -----------------------------------------------------------------------


def test_response_envelope_has_namespace_schema_location_date_and_request(client):
    root = harvest(client, verb="Identify")

    assert root.tag == f"{{{oai.OAI_NS}}}OAI-PMH"
    assert root.get(f"{{{oai.XSI_NS}}}schemaLocation") == (
        "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
    )
    assert [child.tag.split("}")[1] for child in root] == ["responseDate", "request", "Identify"]
    response_date = root.findtext("oai:responseDate", namespaces=NS)
    assert DATESTAMP.fullmatch(response_date)
    request = root.find("oai:request", NS)
    assert request.text == "http://testserver/oai/"
    assert dict(request.attrib) == {"verb": "Identify"}


def test_request_element_echoes_the_arguments(client, base):
    make_publication(themes=[make_theme("Integriteit")])
    root = list_identifiers(client, set="theme:integriteit", **{"from": "2000-01-01"})

    assert dict(root.find("oai:request", NS).attrib) == {
        "verb": "ListIdentifiers",
        "metadataPrefix": "oai_dc",
        "set": "theme:integriteit",
        "from": "2000-01-01",
    }


def test_post_form_is_answered_like_get_without_a_csrf_token(base):
    make_publication("Vakmanschap in de praktijk")
    client = Client(enforce_csrf_checks=True)

    by_post = harvest(client, "post", verb="ListRecords", metadataPrefix="oai_dc")
    by_get = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")

    assert error_of(by_post) is None
    assert by_post.xpath("//dc:title/text()", namespaces=NS) == ["Vakmanschap in de praktijk"]
    assert identifiers(by_post) == identifiers(by_get)


def test_other_http_methods_are_not_allowed(client):
    assert client.put(reverse("oai")).status_code == 405


def test_endpoint_lives_outside_the_language_prefix(client):
    assert reverse("oai") == "/oai/"
    assert client.get("/en/oai/", {"verb": "Identify"}).status_code == 404


def test_labels_are_dutch_whatever_language_the_harvester_asks_for(client):
    make_publication(kind=Publication.Kind.RAPPORT)
    root = harvest(
        client, verb="ListRecords", metadataPrefix="oai_dc", headers={"accept-language": "en"}
    )
    assert root.xpath("//dc:type/text()", namespaces=NS) == ["Text", "Rapport"]


def test_characters_xml_cannot_carry_are_left_out(client):
    make_publication("Titel met\x0b verticale tab", summary="Plakwerk\x01 uit Word.")
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert root.xpath("//dc:title/text()", namespaces=NS) == ["Titel met verticale tab"]
    assert root.xpath("//dc:description/text()", namespaces=NS) == ["Plakwerk uit Word."]

    root = harvest(client, verb="ListRecords", metadataPrefix="oai\x01dc")
    assert error_of(root) == "cannotDisseminateFormat"
    assert root.find("oai:request", NS).get("metadataPrefix") == "oaidc"


# --- Identify ---------------------------------------------------------------------------


def test_identify_describes_the_repository(client, settings, base):
    settings.CONTACT_EMAIL = "oai@ikpob.nl"
    older, newer = make_publication(), make_publication()
    stamp(older, base)
    stamp(newer, base + timedelta(days=1))

    identify = harvest(client, verb="Identify").find("oai:Identify", NS)

    def text(name: str) -> str:
        return identify.findtext(f"oai:{name}", namespaces=NS)

    assert text("repositoryName") == "Kennisportaal Stichting IKPOB"
    assert text("baseURL") == "http://testserver/oai/"
    assert text("protocolVersion") == "2.0"
    assert text("adminEmail") == "oai@ikpob.nl"
    assert text("earliestDatestamp") == base.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert text("deletedRecord") == "persistent"
    assert text("granularity") == "YYYY-MM-DDThh:mm:ssZ"
    description = identify.find("oai:description/id:oai-identifier", NS)
    assert description.findtext("id:scheme", namespaces=NS) == "oai"
    assert description.findtext("id:repositoryIdentifier", namespaces=NS) == "ikpob.nl"
    assert description.findtext("id:delimiter", namespaces=NS) == ":"
    assert description.findtext("id:sampleIdentifier", namespaces=NS) == (
        "oai:ikpob.nl:publication/1"
    )


def test_identify_earliest_datestamp_counts_deletions_and_has_a_floor(client, base):
    identify = harvest(client, verb="Identify").find("oai:Identify", NS)
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == "2026-01-01T00:00:00Z"

    WithdrawnPublication.objects.create(publication_pk=99, datestamp=base)
    make_publication()
    identify = harvest(client, verb="Identify").find("oai:Identify", NS)
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == (oai.format_datestamp(base))


def test_identify_leaves_out_the_oai_identifier_description_for_an_ip_address(client, settings):
    settings.OAI_REPOSITORY_IDENTIFIER = "127.0.0.1"
    root = harvest(client, verb="Identify")
    assert root.find(".//oai:description", NS) is None
    assert error_of(root) is None


def test_repository_identifier_defaults_to_the_site_host_name():
    environment = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SITE_URL": "https://kennis.ikpob.nl/"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ikpob_portal import settings; print(settings.OAI_REPOSITORY_IDENTIFIER)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "kennis.ikpob.nl"


# --- ListMetadataFormats ------------------------------------------------------------------


def test_list_metadata_formats_offers_oai_dc(client):
    root = harvest(client, verb="ListMetadataFormats")
    formats = root.findall("oai:ListMetadataFormats/oai:metadataFormat", NS)
    assert [
        (
            entry.findtext("oai:metadataPrefix", namespaces=NS),
            entry.findtext("oai:schema", namespaces=NS),
            entry.findtext("oai:metadataNamespace", namespaces=NS),
        )
        for entry in formats
    ] == [
        (
            "oai_dc",
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            "http://www.openarchives.org/OAI/2.0/oai_dc/",
        )
    ]


def test_list_metadata_formats_for_an_item_live_or_deleted(client):
    live = make_publication()
    gone = make_publication()
    gone_identifier = oai_id(gone)
    gone.delete()

    for identifier in (oai_id(live), gone_identifier):
        root = harvest(client, verb="ListMetadataFormats", identifier=identifier)
        assert root.xpath("//oai:metadataPrefix/text()", namespaces=NS) == ["oai_dc"]


def test_list_metadata_formats_for_an_unknown_item_is_id_does_not_exist(client):
    draft = make_publication(status=Publishable.Status.DRAFT)
    for identifier in (oai_id(draft), "oai:ikpob.nl:publication/999", "urn:isbn:123"):
        root = harvest(client, verb="ListMetadataFormats", identifier=identifier)
        assert error_of(root) == "idDoesNotExist"


def test_list_metadata_formats_without_formats_is_no_metadata_formats(client, monkeypatch):
    publication = make_publication()
    monkeypatch.setattr(oai, "METADATA_FORMATS", {})
    root = harvest(client, verb="ListMetadataFormats", identifier=oai_id(publication))
    assert error_of(root) == "noMetadataFormats"
    assert dict(root.find("oai:request", NS).attrib) == {
        "verb": "ListMetadataFormats",
        "identifier": oai_id(publication),
    }


# --- ListSets -----------------------------------------------------------------------------


def test_list_sets_has_one_set_per_theme(client):
    make_theme("Integriteit", description="Over het ambtelijk geweten.")
    make_theme("Financiën")

    sets = harvest(client, verb="ListSets").findall("oai:ListSets/oai:set", NS)

    assert [
        (entry.findtext("oai:setSpec", namespaces=NS), entry.findtext("oai:setName", namespaces=NS))
        for entry in sets
    ] == [("theme:financien", "Financiën"), ("theme:integriteit", "Integriteit")]
    description = sets[1].find("oai:setDescription/oai_dc:dc/dc:description", NS)
    assert description.text == "Over het ambtelijk geweten."
    assert sets[0].find("oai:setDescription", NS) is None


def test_list_sets_without_themes_is_no_set_hierarchy(client):
    assert error_of(harvest(client, verb="ListSets")) == "noSetHierarchy"


def test_list_sets_never_hands_out_a_resumption_token(client):
    make_theme("Integriteit")
    root = harvest(client, verb="ListSets", resumptionToken="iets")
    assert error_of(root) == "badResumptionToken"


# --- ListIdentifiers and sets --------------------------------------------------------------


def test_list_identifiers_gives_headers_with_set_membership(client, base):
    integrity, finance = make_theme("Integriteit"), make_theme("Financiën")
    both = make_publication(themes=[integrity, finance])
    none = make_publication()
    stamp(both, base)
    stamp(none, base + timedelta(hours=1))

    root = list_identifiers(client)

    headers = root.findall("oai:ListIdentifiers/oai:header", NS)
    assert [header.findtext("oai:identifier", namespaces=NS) for header in headers] == [
        oai_id(both),
        oai_id(none),
    ]
    assert headers[0].findtext("oai:datestamp", namespaces=NS) == oai.format_datestamp(base)
    assert headers[0].xpath("oai:setSpec/text()", namespaces=NS) == [
        "theme:financien",
        "theme:integriteit",
    ]
    assert headers[1].findall("oai:setSpec", NS) == []
    assert root.find(".//oai:metadata", NS) is None


def test_list_identifiers_in_a_set(client):
    integrity, finance = make_theme("Integriteit"), make_theme("Financiën")
    in_both = make_publication(themes=[integrity, finance])
    in_finance = make_publication(themes=[finance])
    make_publication(themes=[integrity])

    root = list_identifiers(client, set="theme:financien")

    assert sorted(identifiers(root)) == sorted([oai_id(in_both), oai_id(in_finance)])


def test_list_identifiers_in_an_unknown_or_empty_set_is_no_records_match(client):
    make_theme("Leeg")
    make_publication(themes=[make_theme("Integriteit")])
    assert error_of(list_identifiers(client, set="theme:bestaat-niet")) == "noRecordsMatch"
    assert error_of(list_identifiers(client, set="theme:leeg")) == "noRecordsMatch"


def test_list_identifiers_in_a_set_without_any_themes_is_no_set_hierarchy(client):
    make_publication()
    assert error_of(list_identifiers(client, set="theme:integriteit")) == "noSetHierarchy"


def test_list_identifiers_of_an_empty_repository_is_no_records_match(client):
    make_publication(status=Publishable.Status.DRAFT)
    assert error_of(list_identifiers(client)) == "noRecordsMatch"
    assert error_of(harvest(client, verb="ListRecords", metadataPrefix="oai_dc")) == (
        "noRecordsMatch"
    )


def test_lists_in_another_format_are_cannot_disseminate_format(client):
    make_publication()
    for verb in ("ListIdentifiers", "ListRecords"):
        root = harvest(client, verb=verb, metadataPrefix="marc21")
        assert error_of(root) == "cannotDisseminateFormat"
        assert dict(root.find("oai:request", NS).attrib) == {
            "verb": verb,
            "metadataPrefix": "marc21",
        }


# --- ListRecords and GetRecord: oai_dc ------------------------------------------------------


@pytest.fixture
def full_publication():
    martijn = make_person("Martijn", "Steen", particle="van der")
    anna = make_person("Anna", "Bakker")
    return make_publication(
        "Het ambtelijk vakmanschap",
        subtitle="Een verkenning",
        summary="Wat vakmanschap vraagt van ambtenaren.",
        kind=Publication.Kind.RAPPORT,
        authors=[martijn, anna],
        themes=[make_theme("Integriteit"), make_theme("Financiën")],
        publisher=make_organisation("Stichting IKPOB"),
        commissioned_by=[make_organisation("Ministerie van BZK"), make_organisation("ABD")],
        publication_year=2021,
        publication_month=3,
        publication_day=9,
        language=Publication.Language.NL,
        doi="10.1234/ikpob.2021",
        isbn="9789012345678",
        licence=Publication.Licence.CC_BY,
        pdf=MINIMAL_PDF,
    )


def dublin_core(root: etree._Element) -> list[tuple[str, str]]:
    dc = root.find(".//oai:metadata/oai_dc:dc", NS)
    return [(element.tag.split("}")[1], element.text) for element in dc]


def test_list_records_gives_dublin_core_in_the_oai_dc_namespaces(client, full_publication):
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")

    record = root.find("oai:ListRecords/oai:record", NS)
    assert record.findtext("oai:header/oai:identifier", namespaces=NS) == oai_id(full_publication)
    dc = record.find("oai:metadata/oai_dc:dc", NS)
    assert dc.get(f"{{{oai.XSI_NS}}}schemaLocation") == (
        "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    )
    assert {etree.QName(element).namespace for element in dc} == {oai.DC_NS}
    assert dublin_core(root) == [
        ("title", "Het ambtelijk vakmanschap: Een verkenning"),
        ("creator", "Steen, Martijn van der"),
        ("creator", "Bakker, Anna"),
        ("subject", "Financiën"),
        ("subject", "Integriteit"),
        ("description", "Wat vakmanschap vraagt van ambtenaren."),
        ("publisher", "Stichting IKPOB"),
        ("contributor", "ABD"),
        ("contributor", "Ministerie van BZK"),
        ("date", "2021-03-09"),
        ("type", "Text"),
        ("type", "Rapport"),
        ("format", "application/pdf"),
        ("identifier", "http://testserver/publicaties/het-ambtelijk-vakmanschap/"),
        ("identifier", "https://doi.org/10.1234/ikpob.2021"),
        ("identifier", "urn:isbn:9789012345678"),
        ("language", "nl"),
        ("rights", "CC BY 4.0"),
        ("rights", "https://creativecommons.org/licenses/by/4.0/"),
    ]


def test_dublin_core_of_a_sparse_video(client):
    make_publication(
        "Webinar vakmanschap",
        kind=Publication.Kind.VIDEO,
        publication_year=2022,
        publication_month=11,
        language=Publication.Language.EN,
    )
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert dublin_core(root) == [
        ("title", "Webinar vakmanschap"),
        ("description", "Samenvatting van Webinar vakmanschap."),
        ("date", "2022-11"),
        ("type", "MovingImage"),
        ("type", "Video- of webinaropname"),
        ("identifier", "http://testserver/publicaties/webinar-vakmanschap/"),
        ("language", "en"),
        ("rights", "Alle rechten voorbehouden"),
    ]


def test_get_record(client, full_publication):
    root = harvest(
        client, verb="GetRecord", identifier=oai_id(full_publication), metadataPrefix="oai_dc"
    )
    records = root.findall("oai:GetRecord/oai:record", NS)
    assert len(records) == 1
    assert records[0].findtext("oai:header/oai:identifier", namespaces=NS) == oai_id(
        full_publication
    )
    assert ("creator", "Steen, Martijn van der") in dublin_core(root)
    assert dict(root.find("oai:request", NS).attrib) == {
        "verb": "GetRecord",
        "identifier": oai_id(full_publication),
        "metadataPrefix": "oai_dc",
    }


def test_get_record_in_another_format_is_cannot_disseminate_format(client, full_publication):
    root = harvest(
        client, verb="GetRecord", identifier=oai_id(full_publication), metadataPrefix="mods"
    )
    assert error_of(root) == "cannotDisseminateFormat"


@pytest.mark.parametrize(
    "identifier",
    [
        "oai:ikpob.nl:publication/999",
        "oai:ikpob.nl:publication/999999999999999999",
        "oai:elders.nl:publication/1",
        "oai:ikpob.nl:publication/01",
        "oai:ikpob.nl:publication/abc",
        "https://ikpob.nl/publicaties/iets/",
    ],
)
def test_get_record_of_an_unknown_identifier_is_id_does_not_exist(client, identifier):
    make_publication()
    root = harvest(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert error_of(root) == "idDoesNotExist"


def test_list_records_query_count_does_not_grow_with_records(client, django_assert_max_num_queries):
    theme = make_theme("Integriteit")
    organisation = make_organisation()
    for number in range(12):
        make_publication(
            f"Publicatie {number}",
            authors=[make_person()],
            themes=[theme],
            publisher=organisation,
            commissioned_by=[organisation],
        )
    with django_assert_max_num_queries(7):
        root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert len(root.findall("oai:ListRecords/oai:record", NS)) == 12


# --- Drafts, withdrawals and deletions ----------------------------------------------------


def test_drafts_and_scheduled_publications_never_appear(client):
    live = make_publication()
    draft = make_publication(status=Publishable.Status.DRAFT)
    scheduled = make_publication(published_at=timezone.now() + timedelta(days=1))

    assert identifiers(list_identifiers(client)) == [oai_id(live)]
    for publication in (draft, scheduled):
        root = harvest(
            client, verb="GetRecord", identifier=oai_id(publication), metadataPrefix="oai_dc"
        )
        assert error_of(root) == "idDoesNotExist"
    assert not WithdrawnPublication.objects.exists()


def test_editing_a_never_published_draft_or_deleting_it_leaves_no_trace(client):
    make_publication()
    draft = make_publication(status=Publishable.Status.DRAFT)
    draft.title = "Nieuwe titel"
    draft.save()
    draft.delete()

    assert deleted_identifiers(list_identifiers(client)) == []
    assert not WithdrawnPublication.objects.exists()


def test_unpublished_publication_is_reported_deleted_with_its_sets(client):
    publication = make_publication(themes=[make_theme("Integriteit")])
    publication.status = Publishable.Status.DRAFT
    publication.save()

    root = list_identifiers(client)
    header = root.find("oai:ListIdentifiers/oai:header", NS)
    assert header.get("status") == "deleted"
    assert header.findtext("oai:identifier", namespaces=NS) == oai_id(publication)
    assert DATESTAMP.fullmatch(header.findtext("oai:datestamp", namespaces=NS))
    assert header.xpath("oai:setSpec/text()", namespaces=NS) == ["theme:integriteit"]
    assert deleted_identifiers(list_identifiers(client, set="theme:integriteit")) == [
        oai_id(publication)
    ]


def test_deleted_record_has_a_header_and_no_metadata(client):
    publication = make_publication()
    publication.status = Publishable.Status.DRAFT
    publication.save()

    for root in (
        harvest(client, verb="ListRecords", metadataPrefix="oai_dc"),
        harvest(client, verb="GetRecord", identifier=oai_id(publication), metadataPrefix="oai_dc"),
    ):
        record = root.find(".//oai:record", NS)
        assert record.find("oai:header", NS).get("status") == "deleted"
        assert record.find("oai:metadata", NS) is None


def test_publication_rescheduled_into_the_future_is_reported_deleted(client):
    publication = make_publication()
    publication.published_at = timezone.now() + timedelta(days=7)
    publication.save()

    assert deleted_identifiers(list_identifiers(client)) == [oai_id(publication)]


def test_deleted_publication_is_reported_deleted_with_its_sets(client):
    publication = make_publication(themes=[make_theme("Integriteit")])
    identifier = oai_id(publication)
    publication.delete()

    root = list_identifiers(client, set="theme:integriteit")
    assert deleted_identifiers(root) == [identifier]


def test_deleting_an_unpublished_publication_keeps_the_moment_it_was_withdrawn(client, base):
    publication = make_publication()
    publication.status = Publishable.Status.DRAFT
    publication.save()
    WithdrawnPublication.objects.update(datestamp=base)
    publication.delete()

    header = list_identifiers(client).find(".//oai:header", NS)
    assert header.get("status") == "deleted"
    assert header.findtext("oai:datestamp", namespaces=NS) == oai.format_datestamp(base)


def test_admin_unpublish_action_reports_publications_deleted(editor_client):
    first, second = make_publication(), make_publication()

    response = editor_client.post(
        reverse("admin:publications_publication_changelist"),
        {"action": "unpublish", "_selected_action": [first.pk, second.pk]},
    )

    assert response.status_code == 302
    assert Publication.objects.filter(status=Publishable.Status.DRAFT).count() == 2
    assert sorted(deleted_identifiers(list_identifiers(editor_client))) == sorted(
        [oai_id(first), oai_id(second)]
    )


def test_republished_publication_is_a_record_again(client, editor_client):
    publication = make_publication()
    publication.status = Publishable.Status.DRAFT
    publication.save()

    editor_client.post(
        reverse("admin:publications_publication_changelist"),
        {"action": "publish", "_selected_action": [publication.pk]},
    )

    root = list_identifiers(client)
    assert identifiers(root) == [oai_id(publication)]
    assert deleted_identifiers(root) == []
    assert not WithdrawnPublication.objects.exists()


def test_rescheduled_publication_is_a_record_again_once_its_moment_passes(client):
    publication = make_publication()
    publication.published_at = timezone.now() + timedelta(days=7)
    publication.save()
    # A week later its moment has passed, without anyone saving it:
    Publication.objects.filter(pk=publication.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )

    root = list_identifiers(client)
    assert identifiers(root) == [oai_id(publication)]
    assert deleted_identifiers(root) == []
    root = harvest(
        client, verb="GetRecord", identifier=oai_id(publication), metadataPrefix="oai_dc"
    )
    assert root.find(".//oai:header", NS).get("status") is None


def test_scheduled_publication_is_dated_when_it_appears_not_when_it_was_edited(client, base):
    publication = make_publication(published_at=timezone.now() + timedelta(days=1))
    appeared = base + timedelta(days=10)
    Publication.objects.filter(pk=publication.pk).update(updated=base, published_at=appeared)

    header = list_identifiers(client).find(".//oai:header", NS)
    assert header.findtext("oai:datestamp", namespaces=NS) == oai.format_datestamp(appeared)
    day_after_edit = (base + timedelta(days=1)).strftime("%Y-%m-%d")
    assert identifiers(list_identifiers(client, **{"from": day_after_edit})) == [
        oai_id(publication)
    ]


# --- from / until -----------------------------------------------------------------------


@pytest.fixture
def three_days(base):
    """Publications dated base, base + 1 day and base + 2 days (+ 30 s)."""
    publications = [make_publication() for _ in range(3)]
    for days, publication in enumerate(publications):
        stamp(publication, base + timedelta(days=days, seconds=30))
    return publications


def day(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


def test_from_and_until_by_day_include_the_whole_days(client, base, three_days):
    first, second, _third = three_days
    # base is not near midnight UTC in every run; take the days of the datestamps themselves.
    root = list_identifiers(
        client,
        **{
            "from": day(base + timedelta(days=1, seconds=30)),
            "until": day(base + timedelta(days=1, seconds=30)),
        },
    )
    assert identifiers(root) == [oai_id(second)]
    assert identifiers(list_identifiers(client, until=day(base + timedelta(seconds=30)))) == [
        oai_id(first)
    ]


def test_from_and_until_by_second_include_the_named_second(client, base, three_days):
    first, second, third = three_days
    moment = base + timedelta(days=1, seconds=30)
    exact = oai.format_datestamp(moment)

    assert identifiers(list_identifiers(client, **{"from": exact, "until": exact})) == [
        oai_id(second)
    ]
    assert identifiers(list_identifiers(client, **{"from": exact})) == [
        oai_id(second),
        oai_id(third),
    ]
    just_before = oai.format_datestamp(moment - timedelta(seconds=1))
    assert identifiers(list_identifiers(client, until=just_before)) == [oai_id(first)]


def test_datestamps_with_microseconds_fall_in_their_second(client, base):
    publication = make_publication()
    stamp(publication, base + timedelta(microseconds=700_000))
    exact = oai.format_datestamp(base)
    assert identifiers(list_identifiers(client, **{"from": exact, "until": exact})) == [
        oai_id(publication)
    ]


def test_from_and_until_select_deletions_too(client, base, three_days):
    first, *_ = three_days
    identifier = oai_id(first)
    first.delete()
    WithdrawnPublication.objects.update(datestamp=base + timedelta(days=5))

    root = list_identifiers(client, **{"from": oai.format_datestamp(base + timedelta(days=4))})
    assert deleted_identifiers(root) == [identifier]
    assert identifiers(root) == [identifier]


def test_the_widest_range_selects_everything(client, three_days):
    for arguments in (
        {"from": "0001-01-01", "until": "9999-12-31"},
        {"from": "0001-01-01T00:00:00Z", "until": "9999-12-31T23:59:59Z"},
    ):
        assert len(identifiers(list_identifiers(client, **arguments))) == 3


def test_until_before_everything_is_no_records_match(client, base, three_days):
    root = list_identifiers(client, until=day(base - timedelta(days=1)))
    assert error_of(root) == "noRecordsMatch"


@pytest.mark.parametrize(
    "arguments",
    [
        {"from": "2026-01-01", "until": "2026-02-01T00:00:00Z"},  # mixed granularities
        {"from": "2026-02-01", "until": "2026-01-01"},  # from after until
        {"from": "2026-02-01T00:00:01Z", "until": "2026-02-01T00:00:00Z"},
        {"from": "2026-13-01"},
        {"from": "2026-01-01T00:00:00"},  # no Z
        {"until": "2026-01-01T00:00Z"},  # minutes: finer than a day, coarser than ours
        {"until": "gisteren"},
    ],
)
def test_bad_dates_are_bad_arguments(client, arguments):
    make_publication()
    root = list_identifiers(client, **arguments)
    assert error_of(root) == "badArgument"
    assert dict(root.find("oai:request", NS).attrib) == {}


# --- Resumption tokens ---------------------------------------------------------------------


@pytest.fixture
def five(monkeypatch, base):
    """Five publications one hour apart, and pages of two."""
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    publications = [make_publication(f"Publicatie {number}") for number in range(5)]
    for hours, publication in enumerate(publications):
        stamp(publication, base + timedelta(hours=hours))
    return publications


def token_of(root: etree._Element) -> etree._Element | None:
    return root.find("*/oai:resumptionToken", NS)


def test_resumption_tokens_page_through_the_list(client, five):
    pages = [list_identifiers(client)]
    while (token := token_of(pages[-1])) is not None and token.text:
        pages.append(harvest(client, verb="ListIdentifiers", resumptionToken=token.text))

    assert len(pages) == 3
    assert [identifiers(page) for page in pages] == [
        [oai_id(five[0]), oai_id(five[1])],
        [oai_id(five[2]), oai_id(five[3])],
        [oai_id(five[4])],
    ]
    tokens = [token_of(page) for page in pages]
    assert [token.get("cursor") for token in tokens] == ["0", "2", "4"]
    assert {token.get("completeListSize") for token in tokens} == {"5"}
    assert tokens[2].text is None  # the last page: an empty token
    assert tokens[2].get("expirationDate") is None
    assert DATESTAMP.fullmatch(tokens[0].get("expirationDate"))
    assert dict(pages[1].find("oai:request", NS).attrib) == {
        "verb": "ListIdentifiers",
        "resumptionToken": tokens[0].text,
    }


def test_resumption_tokens_carry_the_arguments(client, five, base):
    theme = make_theme("Integriteit")
    for publication in five[1:]:
        publication.themes.add(theme)
    arguments = {
        "set": "theme:integriteit",
        "until": oai.format_datestamp(base + timedelta(hours=3)),
    }

    first = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", **arguments)
    token = token_of(first)
    second = harvest(client, verb="ListRecords", resumptionToken=token.text)

    assert identifiers(first) + identifiers(second) == [oai_id(p) for p in five[1:4]]
    assert token.get("completeListSize") == "3"
    assert len(second.findall(".//oai:metadata", NS)) == 1
    assert token_of(second).text is None


def test_a_list_on_one_page_has_no_resumption_token(client, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    make_publication(), make_publication()
    assert token_of(list_identifiers(client)) is None


def test_deletions_take_their_place_in_the_pages(client, five, base):
    expected = [oai_id(publication) for publication in five]
    five[1].delete()
    WithdrawnPublication.objects.update(datestamp=base + timedelta(hours=2, minutes=30))

    seen = []
    root = list_identifiers(client)
    while True:
        seen += [
            (header.findtext("oai:identifier", namespaces=NS), header.get("status"))
            for header in root.findall("*/oai:header", NS)
        ]
        token = token_of(root)
        if token is None or not token.text:
            break
        root = harvest(client, verb="ListIdentifiers", resumptionToken=token.text)

    assert seen == [
        (expected[0], None),
        (expected[2], None),
        (expected[1], "deleted"),
        (expected[3], None),
        (expected[4], None),
    ]


def test_a_record_edited_during_a_harvest_is_not_skipped(client, five):
    first = list_identifiers(client)
    five[0].title = "Bijgewerkt"
    five[0].save()  # moves to the end of the list; an offset would now skip five[2]

    seen = identifiers(first)
    root = harvest(client, verb="ListIdentifiers", resumptionToken=token_of(first).text)
    while True:
        seen += identifiers(root)
        token = token_of(root)
        if token is None or not token.text:
            break
        root = harvest(client, verb="ListIdentifiers", resumptionToken=token.text)

    assert set(seen) == {oai_id(publication) for publication in five}


def test_forged_or_tampered_resumption_token_is_bad_resumption_token(client, five):
    token = token_of(list_identifiers(client)).text
    forged = signing.dumps(
        {"verb": "ListIdentifiers", "prefix": "oai_dc", "cursor": 0},
        salt=oai.TOKEN_SALT,
        key="not-our-secret",
    )
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "abc"):
        root = harvest(client, verb="ListIdentifiers", resumptionToken=bad)
        assert error_of(root) == "badResumptionToken"
        assert root.find("oai:request", NS).get("resumptionToken") == bad


def test_resumption_token_of_another_verb_is_bad_resumption_token(client, five):
    token = token_of(list_identifiers(client)).text
    root = harvest(client, verb="ListRecords", resumptionToken=token)
    assert error_of(root) == "badResumptionToken"


def test_expired_resumption_token_is_bad_resumption_token(client, five, monkeypatch):
    token = token_of(list_identifiers(client)).text
    monkeypatch.setattr(oai, "TOKEN_MAX_AGE", timedelta(seconds=-1))
    root = harvest(client, verb="ListIdentifiers", resumptionToken=token)
    assert error_of(root) == "badResumptionToken"
    assert "expired" in root.findtext("oai:error", namespaces=NS)


# --- Verbs and arguments --------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [{}, {"verb": "Harvest"}, {"verb": "identify"}, {"verb": ["Identify", "Identify"]}],
)
def test_missing_unknown_or_repeated_verb_is_bad_verb(client, arguments):
    root = harvest(client, **arguments)
    assert error_of(root) == "badVerb"
    assert dict(root.find("oai:request", NS).attrib) == {}
    assert root.findtext("oai:request", namespaces=NS) == "http://testserver/oai/"


def test_post_in_another_encoding_has_no_verb(client):
    response = client.post(reverse("oai"), '{"verb": "Identify"}', content_type="application/json")
    assert error_of(etree.fromstring(response.content)) == "badVerb"


@pytest.mark.parametrize(
    "arguments",
    [
        {"verb": "Identify", "set": "theme:integriteit"},  # not an argument of the verb
        {"verb": "ListSets", "metadataPrefix": "oai_dc"},
        {"verb": "ListIdentifiers"},  # metadataPrefix missing
        {"verb": "ListRecords", "set": "theme:integriteit"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},  # identifier missing
        {"verb": "GetRecord", "identifier": "oai:ikpob.nl:publication/1"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},  # repeated
        {"verb": "ListRecords", "metadataPrefix": ""},  # empty
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
        {"verb": "ListIdentifiers", "resumptionToken": "x", "until": "2026-01-01"},
        {"verb": "ListMetadataFormats", "identifier": ["a", "b"]},
    ],
)
def test_illegal_missing_or_repeated_arguments_are_bad_argument(client, arguments):
    make_publication()
    root = harvest(client, **arguments)
    assert error_of(root) == "badArgument"
    assert dict(root.find("oai:request", NS).attrib) == {}


def test_bad_argument_by_post_too(client):
    root = harvest(client, "post", verb="Identify", extra="1")
    assert error_of(root) == "badArgument"


# --- A real harvester ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("http_method", ["GET", "POST"])
def test_sickle_harvests_everything_page_by_page(live_server, monkeypatch, settings, http_method):
    settings.OAI_REPOSITORY_IDENTIFIER = "ikpob.nl"
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    integrity = make_theme("Integriteit")
    finance = make_theme("Financiën")
    author = make_person("Martijn", "Steen", particle="van der")
    publications = [
        make_publication(
            f"Publicatie {number}",
            authors=[author],
            themes=[integrity] if number % 2 else [finance],
        )
        for number in range(5)
    ]
    withdrawn = make_publication("Ingetrokken", themes=[integrity])
    withdrawn.status = Publishable.Status.DRAFT
    withdrawn.save()
    make_publication("Concept", status=Publishable.Status.DRAFT, themes=[integrity])
    url = live_server.url + reverse("oai")

    harvester = Sickle(url, http_method=http_method)
    assert harvester.Identify().repositoryName == "Kennisportaal Stichting IKPOB"
    assert [s.setSpec for s in harvester.ListSets()] == ["theme:financien", "theme:integriteit"]

    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    assert len(records) == 6
    live = [record for record in records if not record.deleted]
    assert sorted(record.metadata["title"][0] for record in live) == [
        f"Publicatie {number}" for number in range(5)
    ]
    assert {record.metadata["creator"][0] for record in live} == {"Steen, Martijn van der"}
    assert [record.header.identifier for record in records if record.deleted] == [oai_id(withdrawn)]

    in_integrity = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="theme:integriteit"))
    assert sorted(header.identifier for header in in_integrity) == sorted(
        [oai_id(publications[1]), oai_id(publications[3]), oai_id(withdrawn)]
    )
    assert [header.deleted for header in in_integrity].count(True) == 1

    pages = list(
        Sickle(url, http_method=http_method, iterator=OAIResponseIterator).ListIdentifiers(
            metadataPrefix="oai_dc"
        )
    )
    assert len(pages) == 3  # six headers, two a page

    record = harvester.GetRecord(identifier=oai_id(publications[0]), metadataPrefix="oai_dc")
    assert record.metadata["title"] == ["Publicatie 0"]
    assert record.header.setSpecs == ["theme:financien"]


# --- Other kinds stay out ----------------------------------------------------------------------


def test_news_items_and_pages_are_not_harvested(client):
    """The repository holds publications only: news items and the foundation's pages, public on
    the site too, are no records of it."""
    publication = make_publication("Leren van doen")
    make_news_item("In gesprek over het vak", themes=[make_theme("Vakmanschap")])
    make_page("Over IKPOB")

    assert identifiers(list_identifiers(client)) == [oai_id(publication)]
    records = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert records.xpath(".//dc:title/text()", namespaces=NS) == ["Leren van doen"]


# --- Kept between requests (QUERY_CACHE: records per version, pages per token) ----------


@pytest.fixture
def kept(settings):
    """The shared cache on, as in production with Redis, and empty."""
    settings.QUERY_CACHE = True
    cache.clear()
    yield
    cache.clear()


def without_response_date(content: bytes) -> bytes:
    return re.sub(rb"<responseDate>[^<]*</responseDate>", b"", content)


def list_records_content(client, **arguments) -> bytes:
    response = client.get(reverse("oai"), {"verb": "ListRecords", **arguments})
    assert response.status_code == 200
    return response.content


def test_kept_records_give_the_same_document_as_built_ones(client, settings, kept, five):
    theme = make_theme("Integriteit")
    five[0].themes.set([theme])
    Authorship.objects.create(publication=five[1], person=make_person(), position=0)
    WithdrawnPublication.objects.create(
        publication_pk=999, datestamp=timezone.now() - timedelta(days=40), set_specs=[]
    )
    first = list_records_content(client, metadataPrefix="oai_dc")  # records built and kept
    cache.delete_many([key for key in cache._cache if ":oai-page:" in key])
    from_records = list_records_content(client, metadataPrefix="oai_dc")  # from kept records
    settings.QUERY_CACHE = False
    built = list_records_content(client, metadataPrefix="oai_dc")

    def comparable(content: bytes) -> bytes:
        # The resumption token differs only in the moment it was signed.
        token = rb"<resumptionToken[^>]*>[^<]*</resumptionToken>"
        return re.sub(token, b"", without_response_date(content))

    assert b"<record>" in built
    assert comparable(first) == comparable(from_records) == comparable(built)


def test_a_record_edit_changes_its_list_records_xml(
    client, kept, django_capture_on_commit_callbacks
):
    publication = make_publication("Oude titel", authors=[make_person("Anna", "Aalders")])
    before = list_records_content(client, metadataPrefix="oai_dc")
    assert b"<dc:title>Oude titel</dc:title>" in before
    assert b"Aalders, Anna" in before

    with django_capture_on_commit_callbacks(execute=True):
        publication.title = "Nieuwe titel"
        publication.save()
    edited = list_records_content(client, metadataPrefix="oai_dc")
    assert b"<dc:title>Nieuwe titel</dc:title>" in edited
    assert b"<dc:title>Oude titel</dc:title>" not in edited

    # A name the record shows from another row: the author's.
    with django_capture_on_commit_callbacks(execute=True):
        person = publication.authorships.get().person
        person.family_name = "Bakker"
        person.save()
    renamed = list_records_content(client, metadataPrefix="oai_dc")
    assert b"Bakker, Anna" in renamed
    assert b"Aalders" not in renamed


def test_an_unpublished_record_is_listed_deleted_at_once(
    client, kept, django_capture_on_commit_callbacks
):
    publication = make_publication("Ingetrokken", themes=[make_theme("Integriteit")])
    assert b"Ingetrokken" in list_records_content(client, metadataPrefix="oai_dc")

    with django_capture_on_commit_callbacks(execute=True):
        publication.status = Publishable.Status.DRAFT
        publication.save()
    root = etree.fromstring(list_records_content(client, metadataPrefix="oai_dc"))
    record = root.find("oai:ListRecords/oai:record", NS)
    assert record.find("oai:header", NS).get("status") == "deleted"
    assert record.find("oai:metadata", NS) is None
    assert b"Ingetrokken" not in etree.tostring(root)


def test_the_same_token_gives_the_same_page_without_queries(
    client, kept, five, django_assert_num_queries
):
    token = token_of(harvest(client, verb="ListRecords", metadataPrefix="oai_dc")).text
    first = list_records_content(client, resumptionToken=token)
    with django_assert_num_queries(0):
        again = list_records_content(client, resumptionToken=token)
    assert without_response_date(again) == without_response_date(first)
    # The next page's token is the one the first answer handed out, expiry included.
    assert token_of(etree.fromstring(again)).attrib == token_of(etree.fromstring(first)).attrib


def test_a_change_makes_a_token_page_anew(client, kept, five, django_capture_on_commit_callbacks):
    token = token_of(harvest(client, verb="ListRecords", metadataPrefix="oai_dc")).text
    assert b"Publicatie 2" in list_records_content(client, resumptionToken=token)
    with django_capture_on_commit_callbacks(execute=True):
        five[2].title = "Herzien"
        five[2].save()  # its datestamp moves to now: the end of the list
    page = list_records_content(client, resumptionToken=token)
    assert b"Publicatie 2" not in page
    assert b"Publicatie 3" in page
