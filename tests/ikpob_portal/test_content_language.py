"""`{% content_lang %}` and `|content_span`: content keeps its own language on pages in another."""

import pytest
from django.template import engines
from django.utils import translation

TEMPLATE = engines["django"].from_string(
    "{% load portal %}<h1{% content_lang %}>{{ title }}</h1>"
    "<article{% content_lang language %}>…</article>"
    "<p>Join {{ title|content_span }}</p>"
)


def render(page_language: str, *, title: str = "Leren van doen", language: str = "") -> str:
    with translation.override(page_language):
        return TEMPLATE.render({"title": title, "language": language})


def test_dutch_page_marks_nothing():
    assert render("nl") == ("<h1>Leren van doen</h1><article>…</article><p>Join Leren van doen</p>")


def test_english_page_marks_dutch_content():
    assert render("en") == (
        '<h1 lang="nl">Leren van doen</h1><article lang="nl">…</article>'
        '<p>Join <span lang="nl">Leren van doen</span></p>'
    )


@pytest.mark.parametrize(
    ("page_language", "expected"), [("nl", '<article lang="en">'), ("en", "<article>")]
)
def test_content_with_its_own_language_is_marked_where_the_page_differs(page_language, expected):
    assert expected in render(page_language, language="en")


def test_content_span_escapes_what_editors_write():
    html = render("en", title="<b>Kring</b> & co")

    assert '<span lang="nl">&lt;b&gt;Kring&lt;/b&gt; &amp; co</span>' in html


def test_content_language_is_a_setting(settings):
    settings.CONTENT_LANGUAGE = "en"

    assert render("en") == ("<h1>Leren van doen</h1><article>…</article><p>Join Leren van doen</p>")
    assert '<h1 lang="en">' in render("nl")
