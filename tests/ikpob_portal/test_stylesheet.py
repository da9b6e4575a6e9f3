"""One stylesheet per page: the Utrecht components the markup uses, their tokens, our theme."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from ikpob_portal.platform import stylesheet
from tests.html import parse

ROOT = Path(settings.BASE_DIR)
# Where markup gets its classes: templates, the site's script, and Python that writes classes
# (the form widgets of kernel/templatetags/portal.py).
MARKUP = [
    *ROOT.glob("templates/**/*.html"),
    *ROOT.glob("static/js/**/*.js"),
    *(
        path
        for app in ("ikpob_portal", "publications", "network", "learning_circles", "events")
        for path in (ROOT / app).glob("**/*.py")
    ),
]
UTRECHT_CLASS = re.compile(r"\butrecht-([a-z0-9]+(?:-[a-z0-9]+)*)")


def components_in_markup() -> dict[str, set[str]]:
    """Each Utrecht component whose class (`utrecht-<component>`, with any `__element` or
    `--modifier`) appears in the markup, with the files it appears in. Classes that name no
    component package (`utrecht-theme`) are not components."""
    found: dict[str, set[str]] = {}
    for path in MARKUP:
        for name in UTRECHT_CLASS.findall(path.read_text()):
            if stylesheet.component_css(name).exists():
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_utrecht_component_in_the_markup_is_in_the_stylesheet():
    used = components_in_markup()
    missing = {
        name: sorted(files)
        for name, files in used.items()
        if name not in stylesheet.UTRECHT_COMPONENTS
    }
    assert not missing, (
        "Add these components to UTRECHT_COMPONENTS in ikpob_portal/platform/stylesheet.py "
        f"(component: files using it): {missing}"
    )
    assert {"button", "link", "paragraph", "form-field"} <= used.keys()  # the scan finds classes


def test_every_listed_component_has_its_package():
    assert all(stylesheet.component_css(name).exists() for name in stylesheet.UTRECHT_COMPONENTS)
    assert len(set(stylesheet.UTRECHT_COMPONENTS)) == len(stylesheet.UTRECHT_COMPONENTS)


def test_the_stylesheet_holds_the_listed_components_their_tokens_and_our_theme():
    css = Path(finders.find(stylesheet.NAME)).read_text()

    assert ".utrecht-button {" in css
    assert ".utrecht-form-field-error-message {" in css
    assert ".utrecht-calendar" not in css  # a component no page uses
    assert css.count(".utrecht-theme {") == 1
    # A token the button refers to is there; one no used component refers to is not.
    assert "--utrecht-button-primary-action-background-color:" in css
    assert "--utrecht-calendar-" not in css
    # Our theme comes last, so it wins over the components at equal specificity.
    theme = (ROOT / "static" / "css" / "ikpob-theme.css").read_text()
    assert css.endswith(theme)


def test_tokens_are_kept_when_referred_to_directly_or_through_another_token():
    tokens = """.utrecht-theme {
  --a: 1px;
  --b: var(--c);
  --c: red; /* a comment */
  --unused: 2px;
}"""
    kept = stylesheet.used_tokens(tokens, ".x { margin: var(--a); color: var(--b, blue); }")

    assert kept == ".utrecht-theme {\n  --a: 1px;\n  --b: var(--c);\n  --c: red;\n}\n"


def font_urls(css: str) -> set[str]:
    return set(re.findall(r'url\("\.\./(vendor/[^"]+\.woff2)"\)', css))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/publicaties/", "/en/"])
def test_a_page_blocks_on_one_stylesheet_and_preloads_the_fonts_it_uses(client, path):
    head = parse(client.get(path)).find("head")
    stylesheets = head.find_all("link", rel="stylesheet")
    preloads = head.find_all("link", rel="preload")

    assert [link.get("href") for link in stylesheets] == [f"/static/{stylesheet.NAME}"]
    assert preloads, "the font files are preloaded"
    theme_fonts = font_urls((ROOT / "static" / "css" / "ikpob-theme.css").read_text())
    for link in preloads:
        assert link.get("as") == "font"
        assert link.get("type") == "font/woff2"
        assert (
            link.get("crossorigin") is not None
        )  # fonts are fetched in CORS mode; else fetched twice
        # The very file an @font-face rule of the stylesheet asks for (css/ → ../vendor/…).
        font = link.get("href").removeprefix("/static/")
        assert font in theme_fonts
        assert finders.find(font)


def test_every_web_font_has_a_size_matched_local_fallback():
    css = (ROOT / "static" / "css" / "ikpob-theme.css").read_text()
    faces = re.findall(r"@font-face \{([^}]*)\}", css)
    web = [face for face in faces if "url(" in face]
    fallbacks = [face for face in faces if "local(" in face]

    assert web
    assert all("font-display: swap" in face for face in web)
    assert all(finders.find(url) for url in font_urls(css))
    assert fallbacks
    for face in fallbacks:
        assert all(
            f"{metric}:" in face
            for metric in ("size-adjust", "ascent-override", "descent-override")
        )
    family = re.search(r"--ikpob-font-family: ([^;]+);", css).group(1)
    assert family.startswith('"Source Sans Pro", "Source Sans Pro Fallback"')
