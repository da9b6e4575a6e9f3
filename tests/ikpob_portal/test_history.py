"""Editors lose nothing: every admin change is kept with who and what, can be reverted, and a
deleted item can be recovered with its children and themes."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models
from lxml import etree
from reversion.models import Version

from ikpob_portal.kernel.models import Theme
from ikpob_portal.kernel.themes import merge_themes
from network.models import Organisation, Person
from publications.models import Publication
from tests.factories import (
    make_affiliation,
    make_editor,
    make_event,
    make_learning_circle,
    make_organisation,
    make_person,
    make_publication,
    make_research_question,
    make_session,
    make_theme,
)
from tests.html import admin_messages, find_link, links, main, parse, table_rows

ADMIN = f"/{settings.ADMIN_URL}"


def admin_url(obj_or_model, *parts: str) -> str:
    opts = obj_or_model._meta
    return f"{ADMIN}{opts.app_label}/{opts.model_name}/" + "".join(f"{part}/" for part in parts)


def form_data(page) -> dict[str, str | list[str]]:
    """What a browser submits for the admin's change form as it is shown (Save button)."""
    form = main(page).find("form", id=lambda value: value.endswith("_form"))
    assert form is not None, "no change form on the page"
    data: dict[str, list[str]] = {}
    for control in form.iter("input", "select", "textarea"):
        name = control.get("name")
        if not name or "__prefix__" in name:
            continue
        if control.tag == "select":
            values = [option.get("value", option.text) for option in control.iter("option")]
            chosen = [o.get("value", o.text) for o in control.iter("option", selected=True)]
            if not chosen and control.get("multiple") is None and values:
                chosen = values[:1]
            data.setdefault(name, []).extend(chosen)
        elif control.tag == "textarea":
            data.setdefault(name, []).append(re.sub(r"^\r?\n", "", control.raw_text))
        else:
            kind = control.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio"):
                if control.get("checked") is not None:
                    data.setdefault(name, []).append(control.get("value", "on"))
                continue
            data.setdefault(name, []).append(control.get("value", ""))
    flat = {name: values[0] if len(values) == 1 else values for name, values in data.items()}
    flat["_save"] = "Opslaan"
    return flat


def history(client, obj) -> list[list[str]]:
    """Rows of the item's history page: date and time, who, what changed (newest first)."""
    return table_rows(client.get(admin_url(obj, str(obj.pk), "history")))


def history_links(client, obj) -> list[str]:
    page = client.get(admin_url(obj, str(obj.pk), "history"))
    return [link.href for link in links(main(page)) if "/history/" in link.href]


def edit(client, obj, change: Callable[[dict], None]):
    """Open the item's change form, change what `change` changes, and save it."""
    url = admin_url(obj, str(obj.pk), "change")
    data = form_data(client.get(url))
    change(data)
    response = client.post(url, data)
    assert response.status_code == 302, admin_messages(response) or parse(response).text[:2000]
    return response


def revert_to(client, version_url: str):
    """Open an old version from the history page and save it, as the editor would."""
    page = client.get(version_url)
    response = client.post(version_url, form_data(page))
    assert response.status_code == 302, admin_messages(response) or parse(response).text[:2000]
    return client.get(response.url)


def recover(client, model, name: str):
    """Recover the deleted item called `name` through "recover deleted" on the change list."""
    changelist = client.get(admin_url(model))
    link = find_link(changelist, text=f"Herstel verwijderde {model._meta.verbose_name_plural}")
    page = client.get(link.get("href"))
    [url] = [
        row.find("a").get("href")  # the date links to the version; the name stands beside it
        for row in main(page).find("table").find("tbody").iter("tr")
        if row.find("td").text == name
    ]
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302, admin_messages(response) or parse(response).text[:2000]
    return client.get(response.url)


def history_changes(client, obj) -> list[dict[str, str]]:
    """Per row of the history page: each changed field with its value before and after."""
    page = client.get(admin_url(obj, str(obj.pk), "history"))
    rows = main(page).find("table").find("tbody").find_all("tr")
    return [
        {dt.text: dd.text for dt, dd in zip(row.iter("dt"), row.iter("dd"), strict=True)}
        for row in rows
    ]


@pytest.mark.django_db
def test_history_lists_who_changed_which_fields(editor_client):
    publication = make_publication("Vakmanschap", body="Eerste tekst.")

    edit(
        editor_client,
        publication,
        lambda data: data.update(title="Vakmanschap in de uitvoering", body="Nieuwe tekst."),
    )

    [latest, before] = history(editor_client, publication)
    assert latest[1] == "redacteur"
    assert latest[2].startswith("Titel en Tekst gewijzigd.")
    # The item came from an import: how it stood before the first edit is kept too.
    assert before[1:] == ["(onbekend)", "Stand vóór de eerste wijziging in de redactie."]
    assert history_changes(editor_client, publication) == [
        {
            "Titel": "was: Vakmanschap; nu: Vakmanschap in de uitvoering",
            "Tekst": "was: Eerste tekst.; nu: Nieuwe tekst.",
        },
        {},
    ]


@pytest.mark.django_db
def test_history_shows_choices_and_related_items_by_name(editor_client):
    publisher = make_organisation("Uitgeverij Boom")
    publication = make_publication("Vakmanschap", kind=Publication.Kind.ESSAY)

    edit(
        editor_client,
        publication,
        lambda data: data.update(kind=Publication.Kind.RAPPORT, publisher=str(publisher.pk)),
    )

    assert history_changes(editor_client, publication)[0] == {
        "Soort": "was: Essay; nu: Rapport",
        "Uitgever": "was: —; nu: Uitgeverij Boom",
    }


@pytest.mark.django_db
def test_revert_restores_title_body_authors_and_themes(editor_client):
    visser, bakker = make_person("Anna", "Visser"), make_person("Bram", "Bakker")
    toezicht, financien = make_theme("Toezicht"), make_theme("Financiën")
    publication = make_publication(
        "Vakmanschap", body="Eerste tekst.", authors=[visser], themes=[toezicht]
    )

    def rewrite(data: dict) -> None:
        data.update(title="Iets anders", body="Andere tekst.", themes=str(financien.pk))
        data["authorships-0-person"] = str(bakker.pk)

    edit(editor_client, publication, rewrite)
    publication.refresh_from_db()
    assert (publication.title, publication.ordered_authors) == ("Iets anders", [bakker])

    oldest = history_links(editor_client, publication)[-1]
    page = revert_to(editor_client, oldest)

    publication.refresh_from_db()
    assert publication.title == "Vakmanschap"
    assert publication.body == "Eerste tekst."
    assert publication.ordered_authors == [visser]
    assert publication.theme_list == [toezicht]
    assert any("Vakmanschap" in message for message in admin_messages(page))
    latest = history(editor_client, publication)[0]
    assert latest[1] == "redacteur"
    assert latest[2].startswith("Vorige versie van ")


@dataclass
class Kind:
    """One kind of item an editor keeps in the admin, with one child row and one theme."""

    make: Callable[[Theme], models.Model]
    field: str  # a text field the editor changes
    inline: str | None  # the prefix of the inline with the child row
    children: Callable[[models.Model], list[str]]


def _publication(theme: Theme) -> Publication:
    return make_publication("Vakmanschap", authors=[make_person("Anna", "Visser")], themes=[theme])


def _circle(theme: Theme):
    circle = make_learning_circle("Toezicht in de regio", themes=[theme])
    make_research_question(circle, "Wat werkt?")
    return circle


def _person(theme: Theme) -> Person:
    person = make_person("Anna", "Visser", themes=[theme])
    make_affiliation(person, make_organisation("Gemeente Utrecht"))
    return person


def _event(theme: Theme):
    event = make_event("Kennisdag", themes=[theme])
    make_session(event, "Workshop toezicht")
    return event


KINDS = {
    "publication": Kind(
        _publication, "title", "authorships", lambda obj: [str(p) for p in obj.ordered_authors]
    ),
    "learning-circle": Kind(
        _circle, "title", "questions", lambda obj: [q.text for q in obj.questions.all()]
    ),
    "organisation": Kind(
        lambda theme: make_organisation("Gemeente Utrecht", themes=[theme]),
        "name",
        None,
        lambda obj: [],
    ),
    "person": Kind(
        _person,
        "family_name",
        "affiliations",
        lambda obj: [a.organisation.name for a in obj.affiliations.all()],
    ),
    "event": Kind(_event, "title", "sessions", lambda obj: [s.title for s in obj.sessions.all()]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_revert_restores_fields_children_and_themes_of_every_kind(editor_client, kind):
    theme = make_theme("Toezicht")
    item = kind.make(theme)
    original, children = getattr(item, kind.field), kind.children(item)

    def change(data: dict) -> None:
        data[kind.field] = "Gewijzigd"
        data.pop("themes", None)
        if kind.inline:
            data[f"{kind.inline}-0-DELETE"] = "on"

    edit(editor_client, item, change)
    item.refresh_from_db()
    assert (getattr(item, kind.field), item.theme_list) == ("Gewijzigd", [])
    assert kind.children(item) == [] or kind.inline is None

    revert_to(editor_client, history_links(editor_client, item)[-1])

    item.refresh_from_db()
    assert getattr(item, kind.field) == original
    assert item.theme_list == [theme]
    assert kind.children(item) == children


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_deleted_item_of_every_kind_is_recovered_with_children_and_themes(editor_client, kind):
    theme = make_theme("Toezicht")
    item = kind.make(theme)
    name, children, model = str(item), kind.children(item), type(item)

    response = editor_client.post(admin_url(item, str(item.pk), "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=item.pk).exists()

    recover(editor_client, model, name)

    recovered = model.objects.get(pk=item.pk)
    assert str(recovered) == name
    assert recovered.theme_list == [theme]
    assert kind.children(recovered) == children
    assert history(editor_client, recovered)[1][1:3] == ["redacteur", "Verwijderd."]


@pytest.mark.django_db
def test_items_deleted_together_are_recovered_one_by_one(editor_client):
    utrecht, zeist = make_organisation("Gemeente Utrecht"), make_organisation("Gemeente Zeist")

    response = editor_client.post(
        admin_url(Organisation),
        {"action": "delete_selected", "_selected_action": [utrecht.pk, zeist.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Organisation.objects.exists()

    recover(editor_client, Organisation, "Gemeente Utrecht")

    assert list(Organisation.objects.values_list("name", flat=True)) == ["Gemeente Utrecht"]
    page = editor_client.get(admin_url(Organisation, "recover"))
    assert [row[1] for row in table_rows(page)] == ["Gemeente Zeist"]


@pytest.mark.django_db
def test_revert_restores_what_still_exists_and_says_what_is_gone(editor_client):
    visser, bakker = make_person("Anna", "Visser"), make_person("Bram", "Bakker")
    toezicht, handhaving = make_theme("Toezicht"), make_theme("Handhaving")
    publication = make_publication("Vakmanschap", authors=[visser], themes=[toezicht])

    def rewrite(data: dict) -> None:
        data.update(title="Iets anders", themes=str(handhaving.pk))
        data["authorships-0-person"] = str(bakker.pk)

    edit(editor_client, publication, rewrite)
    # Since then: the old theme merged into another, the old author deleted.
    merge_themes(target=handhaving, others=[toezicht])
    visser.delete()

    page = revert_to(editor_client, history_links(editor_client, publication)[-1])

    publication.refresh_from_db()
    assert publication.title == "Vakmanschap"
    assert publication.ordered_authors == []
    assert publication.theme_list == []
    assert "Niet teruggezet, want inmiddels verwijderd: persoon, thema." in admin_messages(page)


@pytest.mark.django_db
def test_item_without_history_opens_in_admin(editor_client):
    publication = make_publication("Vakmanschap")  # as an import or loaddemo makes it

    assert not Version.objects.get_for_object(publication).exists()
    assert (
        editor_client.get(admin_url(publication, str(publication.pk), "change")).status_code == 200
    )
    page = editor_client.get(admin_url(publication, str(publication.pk), "history"))
    assert "Dit item heeft nog geen geschiedenis" in main(page).text


@pytest.mark.django_db
def test_reverting_a_published_publication_to_a_draft_tells_harvesters(editor_client):
    publication = make_publication(
        "Vakmanschap", status=Publication.Status.DRAFT, themes=[make_theme("Integriteit")]
    )
    edit(
        editor_client,
        publication,
        lambda data: data.update(
            status=Publication.Status.PUBLISHED, published_at_0="", published_at_1=""
        ),
    )
    assert Publication.objects.published().filter(pk=publication.pk).exists()

    revert_to(editor_client, history_links(editor_client, publication)[-1])

    assert not Publication.objects.published().filter(pk=publication.pk).exists()
    response = editor_client.get("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    [header] = etree.fromstring(response.content).iterfind(".//{*}header")
    assert header.get("status") == "deleted"
    assert [spec.text for spec in header.iterfind("{*}setSpec")] == ["theme:integriteit"]


@pytest.mark.django_db
def test_items_published_together_are_reverted_one_by_one(editor_client):
    drafts = [
        make_publication(title, status=Publication.Status.DRAFT)
        for title in ("Vakmanschap", "Toezicht op afstand")
    ]

    response = editor_client.post(
        admin_url(Publication),
        {"action": "publish", "_selected_action": [draft.pk for draft in drafts]},
    )
    assert response.status_code == 302
    [latest, _before] = history(editor_client, drafts[0])
    assert latest[1] == "redacteur"
    assert latest[2].startswith("Gepubliceerd. Status was: Concept; nu: Gepubliceerd")

    revert_to(editor_client, history_links(editor_client, drafts[0])[-1])

    assert list(Publication.objects.published().values_list("title", flat=True)) == [
        "Toezicht op afstand"
    ]


@pytest.mark.django_db
def test_history_is_open_to_readers_but_reverting_needs_change_permission(client):
    reader = get_user_model().objects.create_user(
        "lezer", password="een-lang-wachtwoord", is_staff=True
    )
    reader.user_permissions.add(Permission.objects.get(codename="view_publication"))
    publication = make_publication("Vakmanschap")
    editor = make_editor()
    client.force_login(editor)
    edit(client, publication, lambda data: data.update(title="Iets anders"))
    oldest = history_links(client, publication)[-1]
    client.force_login(reader)

    assert history(client, publication)[0][1] == "redacteur"
    assert client.post(oldest, {"title": "Vakmanschap"}).status_code == 403
    assert client.get(admin_url(Publication, "recover")).status_code == 403
    assert Publication.objects.get().title == "Iets anders"


@pytest.mark.django_db
def test_revert_that_would_delete_a_session_added_since_is_refused(editor_client):
    from events.models import Registration
    from tests.factories import make_registration

    event = make_event("Kennisdag")
    edit(editor_client, event, lambda data: data.update(title="Kennisdag 2027"))
    old_version = history_links(editor_client, event)[-1]
    later = make_session(event, "Workshop later toegevoegd")
    make_registration(event, sessions=[later])

    for attempt in (editor_client.get, editor_client.post):
        response = attempt(old_version, follow=True)

        assert "Deze versie is niet teruggezet" in " ".join(admin_messages(response))
        assert "Workshop later toegevoegd" in " ".join(admin_messages(response))
    event.refresh_from_db()
    assert event.title == "Kennisdag 2027"
    assert list(Registration.objects.get().sessions.all()) == [later]
