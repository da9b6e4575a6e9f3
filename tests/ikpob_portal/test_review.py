"""Review before publishing (four eyes): with the site setting on, editors submit, the
Hoofdredactie approves or sends back, nobody approves their own submission; off, nothing
changes."""

import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from ikpob_portal.kernel import review
from ikpob_portal.kernel.admin import PublishableAdminMixin
from ikpob_portal.kernel.editors import CHIEF_EDITOR_GROUP, EDITOR_GROUP
from ikpob_portal.kernel.models import Publishable, ReviewRequest, SiteSettings
from publications.models import Publication
from tests.factories import (
    make_chief_editor,
    make_editor,
    make_event,
    make_news_item,
    make_page,
    make_publication,
)
from tests.html import admin_messages, main, parse, table_rows
from tests.ikpob_portal.test_history import ADMIN, admin_url, form_data, history, history_links

REVIEW_LIST = admin_url(ReviewRequest)


@pytest.fixture
def review_on(db):
    SiteSettings.objects.create(review_before_publishing=True)
    yield
    cache.delete("kernel:site-settings")  # the database rolls back; the cache would not


@pytest.fixture
def chief(db):
    return make_chief_editor()


def essay_draft(title: str = "Vakmanschap in de praktijk", **overrides) -> Publication:
    return make_publication(
        title,
        kind=Publication.Kind.ESSAY,
        status=Publication.Status.DRAFT,
        **overrides,
    )


def change_url(obj) -> str:
    return admin_url(obj, str(obj.pk), "change")


def post_form(client, obj, button: str | None = None, **changes):
    """The item's change form as shown, with `changes`, sent with `button` (else Opslaan)."""
    data = form_data(client.get(change_url(obj)))
    data.update(changes)
    if button:
        data.pop("_save")
        data[button] = "x"
    return client.post(change_url(obj), data)


def submit(client, obj):
    response = post_form(client, obj, "_submit_for_review")
    assert response.status_code == 302, admin_messages(response) or parse(response).text[:2000]
    return response


def buttons(page) -> list[str]:
    return [
        button.get("value")
        for button in main(page).iter("input")
        if button.get("type") == "submit" and button.get("name", "").startswith("_")
    ]


def review_rows(client) -> list[list[str]]:
    """The "Te beoordelen" list: title, kind, submitted by, submitted at (no checkbox)."""
    page = client.get(REVIEW_LIST)
    if main(page).find("table") is None:  # the admin shows no table for an empty list
        return []
    return [row[-4:] for row in table_rows(page)]


def is_public(client, publication) -> bool:
    client.logout()
    return client.get(publication.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_review_setting_is_off_by_default():
    assert review.review_required() is False


@pytest.mark.django_db
def test_review_editor_cannot_publish_when_review_is_on(review_on, editor_client):
    essay = essay_draft()

    response = post_form(editor_client, essay, status="published")

    assert response.status_code == 200
    assert "publiceren gaat via de hoofdredactie" in parse(response).text
    essay.refresh_from_db()
    assert essay.status == Publishable.Status.DRAFT
    assert not is_public(editor_client, essay)


@pytest.mark.django_db
def test_review_editor_cannot_schedule_when_review_is_on(review_on, editor_client):
    essay = essay_draft()

    response = post_form(
        editor_client,
        essay,
        status="published",
        published_at_0="01-01-2099",
        published_at_1="09:00:00",
    )

    assert response.status_code == 200
    essay.refresh_from_db()
    assert essay.status == Publishable.Status.DRAFT


@pytest.mark.django_db
def test_review_editor_bulk_publish_is_refused(review_on, editor_client):
    essay = essay_draft()

    response = editor_client.post(
        admin_url(Publication), {"action": "publish", "_selected_action": [essay.pk]}
    )

    essay.refresh_from_db()
    assert essay.status == Publishable.Status.DRAFT
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_review_editor_submits_and_chief_sees_it_in_the_list(review_on, client, editor, chief):
    essay = essay_draft()
    client.force_login(editor)

    assert "Ter beoordeling aanbieden" in buttons(client.get(change_url(essay)))
    submit(client, essay)

    essay.refresh_from_db()
    assert essay.status == Publishable.Status.DRAFT
    [request] = ReviewRequest.objects.all()
    assert request.submitted_by == editor
    assert request.state == ReviewRequest.State.OPEN
    assert "Ter beoordeling aangeboden door redacteur." in history(client, essay)[0][2]

    client.force_login(chief)
    [row] = review_rows(client)
    assert row[0] == "Vakmanschap in de praktijk"
    assert row[1] == "Publicatie"
    assert row[2] == "redacteur"
    page = client.get(change_url(essay))
    assert buttons(page)[-2:] == ["Goedkeuren en publiceren", "Terugsturen"]
    assert "Ter beoordeling aangeboden door redacteur" in main(page).text


@pytest.mark.django_db
def test_review_chief_approves_and_the_item_is_public(review_on, client, editor, chief):
    essay = essay_draft()
    client.force_login(editor)
    submit(client, essay)
    client.force_login(chief)

    response = post_form(client, essay, "_approve")

    assert response.status_code == 302, admin_messages(response)
    essay.refresh_from_db()
    assert essay.status == Publishable.Status.PUBLISHED
    assert essay.is_published
    assert "Goedgekeurd door Anna (Hoofdredactie)." in history(client, essay)[0][2]
    request = ReviewRequest.objects.get()
    assert (request.state, request.decided_by) == (ReviewRequest.State.APPROVED, chief)
    assert review_rows(client) == []
    assert is_public(client, essay)


@pytest.mark.django_db
def test_review_approving_keeps_a_future_moment_as_scheduled(review_on, editor, chief):
    essay = essay_draft()
    review.submit(essay, user=editor)
    later = essay.created.replace(year=essay.created.year + 1)
    Publication.objects.filter(pk=essay.pk).update(published_at=later)

    review.approve(essay, user=chief)

    essay.refresh_from_db()
    assert essay.status == Publishable.Status.PUBLISHED
    assert essay.published_at == later
    assert not Publication.objects.published().filter(pk=essay.pk).exists()


@pytest.mark.django_db
def test_review_chief_approves_from_the_list(review_on, client, editor, chief):
    essay = essay_draft()
    review.submit(essay, user=editor)
    client.force_login(chief)

    client.post(
        REVIEW_LIST,
        {"action": "approve_selected", "_selected_action": [ReviewRequest.objects.get().pk]},
    )

    essay.refresh_from_db()
    assert essay.is_published


@pytest.mark.django_db
def test_review_send_back_needs_a_remark(review_on, client, editor, chief):
    essay = essay_draft()
    review.submit(essay, user=editor)
    client.force_login(chief)

    response = post_form(client, essay, "_send_back", review_remark="  ")

    assert response.status_code == 200
    assert "Schrijf bij het terugsturen op wat er nog moet gebeuren." in parse(response).text
    assert ReviewRequest.objects.get().state == ReviewRequest.State.OPEN


@pytest.mark.django_db
def test_review_send_back_shows_the_remark_to_the_editor(
    review_on, client, editor, chief, django_capture_on_commit_callbacks
):
    editor.email = "redacteur@example.org"
    editor.save()
    essay = essay_draft()
    review.submit(essay, user=editor)
    client.force_login(chief)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            client, essay, "_send_back", review_remark="De inleiding mist een bron."
        )

    assert response.status_code == 302, admin_messages(response)
    essay.refresh_from_db()
    assert essay.status == Publishable.Status.DRAFT
    assert (
        "Teruggestuurd door Anna (Hoofdredactie): De inleiding mist een bron."
        in (history(client, essay)[0][2])
    )
    client.force_login(editor)
    page = client.get(change_url(essay))
    assert "De inleiding mist een bron." in main(page).text
    assert "Ter beoordeling aanbieden" in buttons(page)
    [message] = mail.outbox
    assert message.to == ["redacteur@example.org"]
    assert "De inleiding mist een bron." in message.body


@pytest.mark.django_db
def test_review_chief_cannot_approve_own_submission(review_on, client, chief):
    essay = essay_draft()
    client.force_login(chief)
    submit(client, essay)

    assert "Goedkeuren en publiceren" not in buttons(client.get(change_url(essay)))
    response = post_form(client, essay, "_approve")
    assert response.status_code == 200
    assert "zelf ter beoordeling aangeboden" in parse(response).text
    response = post_form(client, essay, status="published")
    assert response.status_code == 200
    with pytest.raises(review.ReviewError):
        review.approve(essay, user=chief)
    essay.refresh_from_db()
    assert essay.status == Publishable.Status.DRAFT


@pytest.mark.django_db
def test_review_editor_cannot_approve(review_on, client, editor):
    essay = essay_draft()
    other = make_chief_editor("bram", first_name="Bram")
    review.submit(essay, user=other)
    client.force_login(editor)

    response = post_form(client, essay, "_approve")

    assert response.status_code == 200
    essay.refresh_from_db()
    assert essay.status == Publishable.Status.DRAFT


@pytest.mark.django_db
def test_review_item_changed_after_submission_stays_in_review(review_on, client, editor, chief):
    essay = essay_draft()
    client.force_login(editor)
    submit(client, essay)

    response = post_form(client, essay, title="Vakmanschap in de praktijk (herzien)")

    assert response.status_code == 302
    assert ReviewRequest.objects.get().state == ReviewRequest.State.OPEN
    client.force_login(chief)
    page = client.get(change_url(essay))
    assert "Vakmanschap in de praktijk (herzien)" in [
        field.get("value") for field in main(page).iter("input") if field.get("name") == "title"
    ]


@pytest.mark.django_db
def test_review_list_only_for_those_allowed(review_on, client, editor):
    essay = essay_draft()
    review.submit(essay, user=editor)
    event = make_event(status=Publishable.Status.DRAFT)
    review.submit(event, user=editor)
    decided = essay_draft("Ander essay")
    review.submit(decided, user=editor)
    review.send_back(decided, user=make_chief_editor(), remark="Nog niet.")
    outsider = get_user_model().objects.create_user("gast", is_staff=True)
    reader = make_editor("lezer")
    reader.groups.clear()
    reader.user_permissions.add(
        *Group.objects.get(name=EDITOR_GROUP).permissions.filter(
            codename__in=["view_reviewrequest", "view_publication"]
        )
    )

    client.force_login(outsider)
    assert client.get(REVIEW_LIST).status_code == 403
    client.force_login(reader)
    assert [row[0] for row in review_rows(client)] == [essay.title]
    client.force_login(editor)
    assert sorted(row[0] for row in review_rows(client)) == sorted([essay.title, event.title])
    assert "Te beoordelen" in parse(client.get(ADMIN)).text


@pytest.mark.django_db
def test_review_off_editors_publish_directly(client, editor):
    essay = essay_draft()
    client.force_login(editor)

    assert "Ter beoordeling aanbieden" not in buttons(client.get(change_url(essay)))
    response = post_form(client, essay, status="published")

    assert response.status_code == 302, admin_messages(response)
    essay.refresh_from_db()
    assert essay.is_published


@pytest.mark.django_db
def test_review_chief_editors_group_may_do_what_editors_may():
    editors = set(Group.objects.get(name=EDITOR_GROUP).permissions.all())
    chiefs = set(Group.objects.get(name=CHIEF_EDITOR_GROUP).permissions.all())

    assert editors < chiefs
    assert {p.codename for p in chiefs - editors} == {
        "publish_content",
        "change_reviewrequest",
        "view_sitesettings",
        "change_sitesettings",
    }


@pytest.mark.django_db
def test_review_site_settings_page_turns_it_on(admin_client):
    response = admin_client.get(admin_url(SiteSettings))
    assert response.status_code == 302
    page = admin_client.get(response.url)
    assert "Publiceren na beoordeling (vier-ogenprincipe)" in parse(page).text

    admin_client.post(response.url, {"review_before_publishing": "on", "_save": "Opslaan"})

    try:
        assert review.review_required() is True
    finally:
        cache.delete("kernel:site-settings")


@pytest.mark.django_db
def test_review_chief_sends_back_from_the_list_with_a_remark(review_on, client, editor, chief):
    essay = essay_draft()
    review.submit(essay, user=editor)
    client.force_login(chief)
    chosen = {"action": "send_back_selected", "_selected_action": [ReviewRequest.objects.get().pk]}

    asked = client.post(REVIEW_LIST, chosen)
    assert "Deze items gaan terug naar wie ze aanbood" in main(asked).text
    refused = client.post(REVIEW_LIST, {**chosen, "apply": "1", "remark": " "})
    assert "Schrijf bij het terugsturen op wat er nog moet gebeuren." in main(refused).text
    assert ReviewRequest.objects.get().state == ReviewRequest.State.OPEN

    client.post(REVIEW_LIST, {**chosen, "apply": "1", "remark": "Titel inkorten."})

    request = ReviewRequest.objects.get()
    assert (request.state, request.remark) == (ReviewRequest.State.RETURNED, "Titel inkorten.")
    assert review_rows(client) == []


@pytest.mark.django_db
def test_review_dashboard_counts_what_waits(review_on, client, editor, chief):
    review.submit(essay_draft(), user=editor)
    review.submit(essay_draft("Tweede essay"), user=editor)
    client.force_login(chief)

    summary = parse(client.get(ADMIN)).find(id="review-summary")

    assert summary.text.split() == [
        "Te",
        "beoordelen",
        "2",
        "items",
        "wachten",
        "op",
        "beoordeling",
    ]
    assert summary.find("a").get("href") == REVIEW_LIST


@pytest.mark.django_db
def test_review_demo_has_both_groups_and_review_off():
    call_command("loaddemo", stdout=io.StringIO())

    assert review.review_required() is False
    assert Group.objects.filter(name__in=[EDITOR_GROUP, CHIEF_EDITOR_GROUP]).count() == 2


def test_review_applies_to_every_publishable_kind_in_the_admin():
    """Review lives in the shared admin base: a kind whose admin skipped it could be
    published by any editor."""
    kinds = {
        model._meta.label: isinstance(model_admin, PublishableAdminMixin)
        for model, model_admin in admin.site._registry.items()
        if issubclass(model, Publishable)
    }

    assert {
        "publications.Publication",
        "publications.NewsItem",
        "events.Event",
        "pages.Page",
    } <= kinds.keys()
    assert all(kinds.values()), kinds


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_item", [make_event, make_page, make_news_item], ids=["event", "page", "news"]
)
def test_review_editor_cannot_publish_other_kinds_either(review_on, editor_client, make_item):
    item = make_item(status=Publishable.Status.DRAFT)

    response = post_form(editor_client, item, status="published")

    assert response.status_code == 200
    assert "publiceren gaat via de hoofdredactie" in parse(response).text
    item.refresh_from_db()
    assert item.status == Publishable.Status.DRAFT
    assert submit(editor_client, item).status_code == 302
    assert review.open_request(item) is not None


@pytest.mark.django_db
def test_review_editor_cannot_publish_by_reverting_to_a_published_version(review_on, editor_client):
    essay = make_publication("Vakmanschap in de praktijk", kind=Publication.Kind.ESSAY)
    response = post_form(editor_client, essay, status="draft")  # unpublishing stays allowed
    assert response.status_code == 302, admin_messages(response)
    published_version = history_links(editor_client, essay)[-1]  # the oldest: still public

    response = editor_client.post(
        published_version, form_data(editor_client.get(change_url(essay)))
    )

    assert "terugzetten zou het item publiceren" in " ".join(
        admin_messages(editor_client.get(response.url))
    )
    essay.refresh_from_db()
    assert essay.status == Publishable.Status.DRAFT
