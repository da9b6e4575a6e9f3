"""Every Markdown text an editor writes has the preview in its admin form."""

import lxml.html
import pytest
from django.contrib import admin
from django.urls import reverse

from ikpob_portal.kernel.admin import MarkdownPreviewMixin

WITH_PREVIEW = {
    (opts.label, field, level)
    for model_admin in admin.site._registry.values()
    if isinstance(model_admin, MarkdownPreviewMixin)
    for opts in [model_admin.model._meta]
    for field, level in model_admin.markdown_fields.items()
}


def test_the_kinds_with_markdown_texts_have_the_preview():
    assert {
        ("publications.Publication", "body", 3),
        ("events.Event", "programme", 3),
        ("events.Event", "materials", 3),
        ("learning_circles.LearningCircle", "description", 2),
        ("network.Organisation", "description", 2),
        ("network.Person", "bio", 2),
        ("pages.Page", "body", 2),
    } <= WITH_PREVIEW


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "field", "level"), sorted(WITH_PREVIEW))
def test_add_form_shows_the_preview_button_for_the_text(admin_client, label, field, level):
    app_label, model_name = label.lower().split(".")
    response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))

    page = lxml.html.fromstring(response.content.decode())
    [box] = page.xpath(f"//div[@class='ikpob-markdown'][.//textarea[@id='id_{field}']]")
    assert box.get("data-top-level") == str(level)
    assert box.xpath("string(.//button)") == "Voorbeeld tonen"
