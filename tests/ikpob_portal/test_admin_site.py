"""The editors' dashboard: blocks in the order of their tasks, whatever models exist."""

import lxml.html
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from events.models import Event
from ikpob_portal.admin_site import task_blocks
from ikpob_portal.kernel.models import Theme
from publications.models import Publication


def block_names(response) -> list[str]:
    page = lxml.html.fromstring(response.content.decode())
    return [name.strip() for name in page.xpath("//div[@id='content-main']//caption/a/text()")]


@pytest.mark.django_db
def test_dashboard_shows_blocks_in_the_order_of_editors_tasks(editor_client):
    names = block_names(editor_client.get(reverse("admin:index")))
    tasks = [
        "Publicaties",
        "Evenementen",
        "Actueel",
        "Pagina's",
        "Leerkringen",
        "Netwerk",
        "Thema's",
    ]
    assert [name for name in names if name in tasks] == tasks
    assert names[: len(tasks)] == tasks
    assert names[-1] == "Overig"  # what no task names, e.g. the searches without results


@pytest.mark.django_db
def test_dashboard_sidebar_follows_the_same_order(editor_client):
    response = editor_client.get(reverse("admin:ikpob_portal_theme_changelist"))
    names = [app["name"] for app in response.context["available_apps"]]
    assert names[:2] == ["Publicaties", "Evenementen"]


def _app(app_label: str, models: list) -> dict:
    return {
        "name": app_label,
        "app_label": app_label,
        "app_url": f"/beheer/{app_label}/",
        "has_module_perms": True,
        "models": [{"model": model, "name": model._meta.verbose_name_plural} for model in models],
    }


def test_task_blocks_skip_absent_models_and_put_unknown_ones_last():
    # Django's list, alphabetical; no NewsItem or Page exists in it.
    app_list = [
        _app("auth", [Group, User]),
        _app("events", [Event]),
        _app("ikpob_portal", [Theme]),
        _app("publications", [Publication]),
    ]
    blocks = task_blocks(app_list)
    assert [str(block["name"]) for block in blocks] == [
        "Publicaties",
        "Evenementen",
        "Thema's",
        "Overig",
    ]
    assert [model["model"] for model in blocks[-1]["models"]] == [Group, User]
    assert blocks[0]["app_url"] == "/beheer/publications/"


@pytest.mark.django_db
def test_one_apps_page_stays_as_django_shows_it(editor_client):
    response = editor_client.get(reverse("admin:app_list", args=["events"]))
    assert [app["app_label"] for app in response.context["app_list"]] == ["events"]
