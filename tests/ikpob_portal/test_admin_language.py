"""The admin speaks Dutch to an editor: every page an editor opens, no English left in it.

The pages are found by walking the admin's registry, so a model registered later is covered
without changing this test. What counts as English is Django's own list: the msgids of the
admin's, Django's and django-reversion's catalogues whose Dutch differs from the English.
Content (titles, names, texts) is left out of what is read; the demo content is Dutch anyway.
"""

import json
import re
from io import StringIO
from pathlib import Path

import django
import lxml.html
import pytest
import reversion
from django.contrib import admin
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import strip_tags

from ikpob_portal.kernel.models import Theme
from tests.test_i18n import read_po, sources, translations

SITE_PACKAGES = Path(django.__file__).parent.parent
DJANGO_CATALOGUES = [
    SITE_PACKAGES / "django/contrib/admin/locale/nl/LC_MESSAGES/django.po",
    SITE_PACKAGES / "django/conf/locale/nl/LC_MESSAGES/django.po",
    Path(reversion.__file__).parent / "locale/nl/LC_MESSAGES/django.po",
]
ADMIN_SCRIPTS_CATALOGUE = SITE_PACKAGES / "django/contrib/admin/locale/nl/LC_MESSAGES/djangojs.po"

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")
# Django's msgids that are Dutch words as well, or that show no words at all.
NOT_ENGLISH = {"Filter", "Server", "Model", "Status", "Tag", "Tags", "Email", "Website", "URL"}


def _words(part: str) -> str:
    """A piece of a msgid as a pattern; a space before or after a placeholder stays required
    ("Select %s" is not the start of "Selecteer")."""
    words = r"\s+".join(map(re.escape, part.split()))
    if not words:
        return ""
    lead = r"\s+" if part[:1].isspace() else ""
    trail = r"\s+" if part[-1:].isspace() else ""
    return f"{lead}{words}{trail}"


def _english_patterns() -> list[tuple[str, re.Pattern]]:
    """(msgid, how it shows on a page) for every Django interface string of the catalogues."""
    patterns = {}
    for catalogue in DJANGO_CATALOGUES:
        for entry in read_po(catalogue):
            for source, dutch in zip(sources(entry), translations(entry), strict=False):
                if source == dutch or source in NOT_ENGLISH or source in patterns:
                    continue
                parts = PLACEHOLDER.split(source)
                if not any(re.search(r"[A-Za-z]{2}", part) for part in parts):
                    continue
                literal = r".+?".join(_words(part) for part in parts)
                if len(parts) == 1 and len(source.split()) <= 2:
                    # A word or two ("Add", "Save", "Log out") is a whole label, not a word in
                    # a sentence: it must be all of a text.
                    patterns[source] = re.compile(rf"^\W*{literal}\W*$")
                else:
                    patterns[source] = re.compile(rf"(?<![\w-]){literal}(?![\w-])")
    return list(patterns.items())


ENGLISH = _english_patterns()

# Where a page shows content rather than interface: the rows of a list, the values in a form.
CONTENT = (
    "//table[@id='result_list']/tbody//td | //table[@id='result_list']/tbody//th"
    " | //textarea | //div[contains(@class, 'readonly')] | //input[@type='text']"
    " | //*[@id='content']/h2 | //ol[@class='breadcrumbs']/li[@aria-current]"
    " | //ul[@id='deleted-objects'] | //div[@id='content-main']//ul[not(@class)]/li/a"
    " | //select[not(@name='action')]/option[@selected and @value!=''] | //div[@class='help']//a"
)
SPOKEN = ("title", "aria-label", "alt", "placeholder")


def interface_texts(html: str) -> list[str]:
    page = lxml.html.fromstring(html)
    for element in page.xpath(CONTENT + " | //script | //style | //template"):
        element.drop_tree()
    texts = [" ".join(text.split()) for text in page.xpath("//body//text()")]
    for element in page.xpath("//body//*"):
        texts += [element.get(name) for name in SPOKEN if element.get(name)]
        if element.tag == "input" and element.get("type") in {"submit", "button"}:
            texts.append(element.get("value") or "")
    return [text for text in texts if text.strip()]


def english_on(html: str) -> list[str]:
    texts = interface_texts(html)
    return sorted(
        {
            f"{source!r} in {text!r}"
            for text in texts
            for source, pattern in ENGLISH
            if pattern.search(text)
        }
    )


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddemo", stdout=StringIO())


@pytest.fixture
def versions(demo, editor):
    """One saved version of the first item of every kind with history, so that the history
    page links to a version to revert to (loaddemo keeps none)."""
    as_editor = RequestFactory().get("/")
    as_editor.user = editor
    for model, model_admin in admin.site._registry.items():
        obj = model_admin.get_queryset(as_editor).first()  # the one the walk opens
        if reversion.is_registered(model) and obj is not None:
            with reversion.create_revision():
                reversion.set_user(editor)
                obj.save()


@pytest.fixture
def short_pages(monkeypatch):
    """Two rows a page, so that every list shows its pagination."""
    for model_admin in admin.site._registry.values():
        monkeypatch.setattr(model_admin, "list_per_page", 2)


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _links(html: str, xpath: str) -> list[str]:
    return [href for href in lxml.html.fromstring(html).xpath(xpath) if href.startswith("?")]


def editor_pages(client, editor) -> list[tuple[str, str]]:
    """(what, html) of every admin page type an editor uses, for every model they may see."""
    pages = []
    as_editor = RequestFactory().get("/")  # for the admin's permission checks
    as_editor.user = editor

    def visit(what: str, url: str, data: dict | None = None) -> str:
        response = client.post(url, data) if data is not None else client.get(url)
        assert response.status_code == 200, f"{what}: {url} answered {response.status_code}"
        html = response.content.decode()
        pages.append((what, html))
        return html

    visit("dashboard", reverse("admin:index"))
    visit("password change", reverse("admin:password_change"))
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not editor.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        name = f"admin:{opts.app_label}_{opts.model_name}"
        label = opts.label
        visit(f"{opts.app_label} app page", reverse("admin:app_list", args=[opts.app_label]))
        changelist = reverse(f"{name}_changelist")
        html = visit(f"{label} list", changelist)
        visit(f"{label} list with counts", f"{changelist}?_facets=1")
        if model_admin.search_fields:
            visit(f"{label} search", f"{changelist}?q=ambtelijk")
            visit(f"{label} search without results", f"{changelist}?q=xyzzy")
        # The second choice of the first filter (the first one is "All").
        choices = _links(html, "//*[@id='changelist-filter']//details[1]//li[2]/a/@href")
        if choices:
            visit(f"{label} list filtered", changelist + choices[0])
        days = _links(html, "//nav[@aria-labelledby='date-hierarchy-label']//a/@href")
        if days:
            visit(f"{label} list by date", changelist + days[-1])
        if _links(html, "//a[@class='end']/@href") or "paginator" in html:
            visit(f"{label} list page 2", f"{changelist}?p=2")

        if model_admin.has_add_permission(as_editor):
            add = reverse(f"{name}_add")
            visit(f"{label} add form", add)
            visit(f"{label} add form with errors", add, {})

        obj = model_admin.get_queryset(as_editor).first()
        if obj is None:
            continue
        visit(f"{label} change form", reverse(f"{name}_change", args=[obj.pk]))
        history = visit(f"{label} history", reverse(f"{name}_history", args=[obj.pk]))
        versions = lxml.html.fromstring(history).xpath("//table[@id='change-history']//a/@href")
        if versions:
            visit(f"{label} a version to revert to", versions[0])
        recover = _url(f"{name}_recoverlist")
        if recover:
            visit(f"{label} deleted items", recover)
        if model_admin.has_delete_permission(as_editor, obj):
            visit(f"{label} delete confirmation", reverse(f"{name}_delete", args=[obj.pk]))
            actions = model_admin.get_actions(as_editor)
            if "delete_selected" in actions:
                visit(
                    f"{label} delete selected",
                    changelist,
                    {"action": "delete_selected", "_selected_action": [obj.pk]},
                )

    themes = Theme.objects.order_by("name")[:2]
    visit(
        "theme merge",
        reverse("admin:ikpob_portal_theme_changelist"),
        {"action": "merge_selected", "_selected_action": [theme.pk for theme in themes]},
    )
    return pages


@pytest.mark.django_db
def test_admin_pages_an_editor_opens_have_no_english(client, editor, versions, short_pages):
    client.force_login(editor)
    pages = editor_pages(client, editor)
    found = {what: english for what, html in pages if (english := english_on(html))}
    assert not found, "English in the Dutch admin:\n" + "\n".join(
        f"- {what}: {', '.join(english)}" for what, english in found.items()
    )
    assert len(pages) > 50  # the walk reached every kind of page


@pytest.mark.django_db
def test_admin_scripts_speak_dutch(editor_client):
    """The calendar, the clock and the time zone note come from the admin's script catalogue."""
    response = editor_client.get(reverse("admin:jsi18n"))
    catalogue = json.loads(
        re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S).group(1)
    )
    keys = [
        f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        for entry in read_po(ADMIN_SCRIPTS_CATALOGUE)
    ]
    missing = [key for key in keys if not catalogue.get(key)]
    assert not missing, f"untranslated in the admin's scripts: {missing}"
    assert catalogue["Today"] == "Vandaag"
    note = "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)"
    assert (
        catalogue[note]
        == [
            "Let op: vul tijden in zoals ze in de tijdzone %(timezone)s zijn. "
            "(Uw apparaat loopt %(offset)s uur voor.)"
        ]
        * 2
    )


def messages_on(response) -> list[str]:
    return [strip_tags(str(message)) for message in response.context["messages"]]


@pytest.mark.django_db
def test_admin_messages_use_het_for_neuter_nouns(editor_client):
    response = editor_client.post(
        reverse("admin:ikpob_portal_theme_add"),
        {"name": "Dienstverlening", "slug": "dienstverlening", "description": "", "synonyms": ""},
        follow=True,
    )
    assert messages_on(response) == ["Het thema “Dienstverlening” is toegevoegd."]
    theme = Theme.objects.get(slug="dienstverlening")

    response = editor_client.get(reverse("admin:ikpob_portal_theme_delete", args=[theme.pk]))
    assert "Weet u zeker dat u het thema “Dienstverlening” wilt verwijderen?" in " ".join(
        interface_texts(response.content.decode())
    )

    response = editor_client.post(
        reverse("admin:ikpob_portal_theme_delete", args=[theme.pk]), {"post": "yes"}, follow=True
    )
    assert messages_on(response) == ["Het thema “Dienstverlening” is verwijderd."]


@pytest.mark.django_db
def test_admin_messages_keep_de_for_other_nouns(editor_client):
    theme = Theme.objects.create(name="Toezicht", slug="toezicht")
    response = editor_client.post(
        reverse("admin:ikpob_portal_themeredirect_add"),
        {"old_slug": "oud-toezicht", "theme": theme.pk},
        follow=True,
    )
    assert messages_on(response) == [
        "De doorverwijzing van thema “oud-toezicht → toezicht” is toegevoegd."
    ]


def test_admin_messages_in_english_have_no_dutch_article(rf):
    """The admin is Dutch (its URL has no language prefix); were it English, nothing changes."""
    request = rf.get("/")
    request._messages = CookieStorage(request)
    with translation.override("en"):
        admin.site._registry[Theme].message_user(request, "The theme “Toezicht” was added.")
    assert [str(m) for m in request._messages] == ["The theme “Toezicht” was added."]
