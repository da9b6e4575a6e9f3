import re
import warnings
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.paginator import UnorderedObjectListWarning
from django.test import Client
from django.utils import timezone

from ikpob_portal.kernel.editors import EDITOR_GROUP
from ikpob_portal.kernel.models import Theme, ThemeRedirect
from publications.models import Publication
from tests.factories import make_person, make_publication, make_theme
from tests.html import changelist

ADMIN = f"/{settings.ADMIN_URL}"
PUBLICATIONS = f"{ADMIN}publications/publication/"
THEMES = f"{ADMIN}ikpob_portal/theme/"


def new_publication_data(**overrides) -> dict:
    """What the add form posts for a publication without authors or themes."""
    data = {
        "title": "Vakmanschap in de uitvoering",
        "subtitle": "",
        "slug": "vakmanschap-in-de-uitvoering",
        "kind": Publication.Kind.ESSAY,
        "summary": "Over het vak van de uitvoerende ambtenaar.",
        "body": "",
        "publication_year": "2025",
        "publication_month": "",
        "publication_day": "",
        "language": Publication.Language.NL,
        "publisher": "",
        "external_url": "",
        "isbn": "",
        "doi": "",
        "licence": Publication.Licence.CC_BY,
        "status": Publication.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "authorships-TOTAL_FORMS": "0",
        "authorships-INITIAL_FORMS": "0",
        "authorships-MIN_NUM_FORMS": "0",
        "authorships-MAX_NUM_FORMS": "1000",
        "_save": "Opslaan",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_publication_admin_changelist_opens_for_editor(editor_client):
    make_publication("Vakmanschap in de uitvoering", themes=[make_theme("Toezicht")])
    make_publication("Concept", status=Publication.Status.DRAFT)

    response = editor_client.get(PUBLICATIONS)

    assert response.status_code == 200
    titles = changelist(response, "title")
    assert sorted(titles) == ["Concept", "Vakmanschap in de uitvoering"]


@pytest.mark.django_db
def test_publication_admin_search_finds_by_title(editor_client):
    make_publication("Vakmanschap in de uitvoering")
    make_publication("Toezicht op afstand")

    response = editor_client.get(PUBLICATIONS, {"q": "uitvoering"})

    assert response.status_code == 200
    assert changelist(response, "title") == ["Vakmanschap in de uitvoering"]


@pytest.mark.django_db
def test_publication_admin_search_finds_by_author_once(editor_client):
    visser = make_person("Anna", "Visser")
    make_publication("Met twee Vissers", authors=[visser, make_person("Bert", "Visser")])
    make_publication("Andere publicatie", authors=[make_person("Carla", "Smit")])

    response = editor_client.get(PUBLICATIONS, {"q": "Visser"})

    assert changelist(response, "title") == ["Met twee Vissers"]


@pytest.mark.django_db
def test_publication_admin_add_form_opens_with_authors_inline(editor_client):
    response = editor_client.get(f"{PUBLICATIONS}add/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="authorships-TOTAL_FORMS"' in html
    assert 'name="themes"' in html


@pytest.mark.django_db
def test_publication_admin_add_saves_themes_and_authors_in_order(editor_client):
    toezicht = make_theme("Toezicht")
    wetgeving = make_theme("Wetgeving")
    make_theme("Niet gekozen")
    zwart = make_person("Zeger", "Zwart")
    aalders = make_person("Anna", "Aalders")
    data = new_publication_data(
        themes=[toezicht.pk, wetgeving.pk],
        **{
            "authorships-TOTAL_FORMS": "2",
            "authorships-0-person": str(zwart.pk),
            "authorships-0-position": "0",
            "authorships-1-person": str(aalders.pk),
            "authorships-1-position": "1",
        },
    )

    response = editor_client.post(f"{PUBLICATIONS}add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    publication = Publication.objects.get(slug="vakmanschap-in-de-uitvoering")
    assert publication.theme_list == [toezicht, wetgeving]
    assert publication.ordered_authors == [zwart, aalders]
    assert publication.status == Publication.Status.DRAFT


@pytest.mark.django_db
def test_publication_admin_change_form_keeps_themes_and_authors_on_save(editor_client):
    toezicht = make_theme("Toezicht")
    author = make_person("Anna", "Visser")
    publication = make_publication("Vakmanschap", themes=[toezicht], authors=[author])
    authorship = publication.authorships.get()
    url = f"{PUBLICATIONS}{publication.pk}/change/"

    html = editor_client.get(url).content.decode()
    assert re.search(rf'<option value="{toezicht.pk}" selected>Toezicht</option>', html)

    published_at = timezone.localtime(publication.published_at)
    response = editor_client.post(
        url,
        new_publication_data(
            title="Vakmanschap (herzien)",
            slug=publication.slug,
            status=Publication.Status.PUBLISHED,
            published_at_0=published_at.strftime("%d-%m-%Y"),
            published_at_1=published_at.strftime("%H:%M:%S"),
            themes=[toezicht.pk],
            **{
                "authorships-TOTAL_FORMS": "1",
                "authorships-INITIAL_FORMS": "1",
                "authorships-0-id": str(authorship.pk),
                "authorships-0-publication": str(publication.pk),
                "authorships-0-person": str(author.pk),
                "authorships-0-position": "0",
            },
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    publication.refresh_from_db()
    assert publication.title == "Vakmanschap (herzien)"
    assert publication.theme_list == [toezicht]
    assert publication.ordered_authors == [author]


@pytest.mark.django_db
def test_publication_admin_themes_autocomplete_finds_themes(editor_client):
    toezicht = make_theme("Toezicht")
    make_theme("Wetgeving")

    response = editor_client.get(
        f"{ADMIN}autocomplete/",
        {
            "app_label": "publications",
            "model_name": "publication",
            "field_name": "themes",
            "term": "toe",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(toezicht.pk), "text": "Toezicht"}]


@pytest.mark.django_db
def test_publication_admin_themes_autocomplete_lists_themes_alphabetically(editor_client):
    names = [f"Thema {letter}" for letter in "ZYXWVUTSRQPONMLKJIHGFEDCBA"]
    for name in names:
        make_theme(name)
    query = {
        "app_label": "publications",
        "model_name": "publication",
        "field_name": "themes",
        "term": "thema",
    }

    # Django warns when it pages through an unordered list; the order would be the
    # database's whim (id order on PostgreSQL, index order on SQLite).
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        first = editor_client.get(f"{ADMIN}autocomplete/", query).json()
        second = editor_client.get(f"{ADMIN}autocomplete/", {**query, "page": 2}).json()

    listed = [result["text"] for result in first["results"] + second["results"]]
    assert first["pagination"]["more"] is True
    assert listed == sorted(names)


@pytest.mark.django_db
def test_publication_admin_publish_action_makes_drafts_public(editor_client):
    visitor = Client()
    draft = make_publication("Concept", status=Publication.Status.DRAFT)
    assert visitor.get(draft.get_absolute_url()).status_code == 404

    response = editor_client.post(
        PUBLICATIONS, {"action": "publish", "_selected_action": [draft.pk], "index": "0"}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Publication.Status.PUBLISHED
    assert draft.published_at <= timezone.now()
    assert visitor.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_publication_admin_publish_action_keeps_a_scheduled_date(editor_client):
    later = timezone.now() + timedelta(days=7)
    draft = make_publication("Gepland", status=Publication.Status.DRAFT, published_at=later)

    editor_client.post(
        PUBLICATIONS, {"action": "publish", "_selected_action": [draft.pk], "index": "0"}
    )

    draft.refresh_from_db()
    assert draft.status == Publication.Status.PUBLISHED
    assert draft.published_at == later
    assert not draft.is_published


@pytest.mark.django_db
def test_publication_admin_unpublish_action_hides_items(editor_client):
    visitor = Client()
    published = make_publication("Openbaar")
    other = make_publication("Blijft openbaar")

    response = editor_client.post(
        PUBLICATIONS,
        {"action": "unpublish", "_selected_action": [published.pk], "index": "0"},
        follow=True,
    )

    assert "1 item teruggezet naar concept." in response.content.decode()
    published.refresh_from_db()
    assert published.status == Publication.Status.DRAFT
    assert visitor.get(published.get_absolute_url()).status_code == 404
    assert visitor.get(other.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_publication_admin_change_page_links_to_the_site(editor_client):
    publication = make_publication("Vakmanschap")

    html = editor_client.get(f"{PUBLICATIONS}{publication.pk}/change/").content.decode()

    link = re.search(rf'<a href="({ADMIN}r/\d+/{publication.pk}/)" class="viewsitelink"', html)
    assert link is not None
    response = editor_client.get(link.group(1))
    assert response.status_code == 302
    assert response["Location"].endswith("/publicaties/vakmanschap/")


@pytest.mark.django_db
def test_theme_admin_changelist_shows_item_counts(editor_client):
    toezicht = make_theme("Toezicht")
    make_theme("Wetgeving")
    make_publication("Eerste", themes=[toezicht])
    make_publication("Tweede", themes=[toezicht], status=Publication.Status.DRAFT)

    response = editor_client.get(THEMES)

    assert response.status_code == 200
    # Editors see every item that uses a theme, drafts included.
    assert changelist(response, "name", "item_count") == [("Toezicht", "2"), ("Wetgeving", "0")]


@pytest.mark.django_db
def test_theme_admin_search_finds_by_name_and_description(editor_client):
    make_theme("Toezicht")
    make_theme("Inspectie", description="Alles over toezichthouders.")
    make_theme("Wetgeving")

    response = editor_client.get(THEMES, {"q": "toezicht"})

    assert response.status_code == 200
    assert changelist(response, "name") == ["Inspectie", "Toezicht"]


@pytest.mark.django_db
def test_theme_admin_merge_action_asks_for_confirmation_first(editor_client):
    toezicht = make_theme("Toezicht")
    inspectie = make_theme("Inspectie")
    make_publication(themes=[inspectie])

    response = editor_client.post(
        THEMES,
        {
            "action": "merge_selected",
            "_selected_action": [toezicht.pk, inspectie.pk],
            "index": "0",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Thema&#x27;s samenvoegen</h1>" in html
    assert "Inspectie (1 item)" in html
    assert "Toezicht (0 items)" in html
    assert f'type="radio" name="target" value="{toezicht.pk}"' in html
    assert Theme.objects.count() == 2


@pytest.mark.django_db
def test_theme_admin_merge_action_merges_into_the_chosen_theme(editor_client):
    toezicht = make_theme("Toezicht")
    inspectie = make_theme("Inspectie")
    publication = make_publication(themes=[inspectie])

    response = editor_client.post(
        THEMES,
        {
            "action": "merge_selected",
            "_selected_action": [toezicht.pk, inspectie.pk],
            "apply": "1",
            "target": str(toezicht.pk),
        },
        follow=True,
    )

    assert "Samengevoegd tot &#x27;Toezicht&#x27;; 1 item verplaatst." in (
        response.content.decode()
    )
    assert list(Theme.objects.all()) == [toezicht]
    assert publication.theme_list == [toezicht]
    assert ThemeRedirect.objects.get().old_slug == "inspectie"
    assert Client().get("/themas/inspectie/")["Location"] == "/themas/toezicht/"


@pytest.mark.django_db
def test_theme_admin_merge_action_without_target_asks_again(editor_client):
    toezicht = make_theme("Toezicht")
    inspectie = make_theme("Inspectie")

    response = editor_client.post(
        THEMES,
        {
            "action": "merge_selected",
            "_selected_action": [toezicht.pk, inspectie.pk],
            "apply": "1",
        },
    )

    assert response.status_code == 200
    assert "Kies welk thema overblijft." in response.content.decode()
    assert Theme.objects.count() == 2


@pytest.mark.django_db
def test_theme_admin_merge_action_needs_two_themes(editor_client):
    toezicht = make_theme("Toezicht")

    response = editor_client.post(
        THEMES,
        {"action": "merge_selected", "_selected_action": [toezicht.pk], "index": "0"},
        follow=True,
    )

    assert "Kies minstens twee thema&#x27;s om samen te voegen." in response.content.decode()
    assert Theme.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["auth/user/", "auth/group/", "auth/user/add/"])
def test_editor_admin_user_management_is_forbidden(editor_client, path):
    response = editor_client.get(f"{ADMIN}{path}")

    assert response.status_code == 403


@pytest.mark.django_db
def test_editor_admin_index_does_not_list_users(editor_client, admin_client):
    editor_html = editor_client.get(ADMIN).content.decode()
    admin_html = admin_client.get(ADMIN).content.decode()

    assert "Gebruikers" in admin_html  # the word the check below relies on
    assert "Gebruikers" not in editor_html
    assert f'href="{ADMIN}auth/' not in editor_html
    assert "Publicaties" in editor_html
    assert "Thema&#x27;s" in editor_html


@pytest.mark.django_db
def test_editor_group_has_no_permissions_on_auth():
    group = Group.objects.get(name=EDITOR_GROUP)

    app_labels = set(group.permissions.values_list("content_type__app_label", flat=True))

    assert "auth" not in app_labels
    assert app_labels == {
        "ikpob_portal",
        "learning_circles",
        "network",
        "publications",
        "events",
        "pages",
        "subscriptions",  # the newsletter only (no Subscription admin)
    }


@pytest.mark.django_db
def test_editor_cannot_make_themselves_superuser(editor_client, editor):
    response = editor_client.post(
        f"{ADMIN}auth/user/{editor.pk}/change/",
        {"username": editor.username, "is_staff": "on", "is_superuser": "on"},
    )

    assert response.status_code == 403
    assert not get_user_model().objects.get(pk=editor.pk).is_superuser


@pytest.mark.django_db
def test_theme_admin_add_refuses_a_name_differing_only_in_case(editor_client):
    make_theme("Toezicht")

    response = editor_client.post(
        f"{THEMES}add/", {"name": "TOEZICHT", "slug": "toezicht-2", "description": ""}
    )

    assert response.status_code == 200
    assert 'class="errorlist nonfield"' in response.content.decode()
    assert list(Theme.objects.values_list("name", flat=True)) == ["Toezicht"]


@pytest.mark.django_db
def test_theme_admin_add_explains_a_duplicate_name_in_plain_dutch(editor_client):
    make_theme("Toezicht")

    response = editor_client.post(
        f"{THEMES}add/", {"name": "TOEZICHT", "slug": "toezicht-2", "description": ""}
    )

    errors = response.context["adminform"].form.non_field_errors()
    assert errors
    assert not any("theme_name_case_insensitive_unique" in error for error in errors)
