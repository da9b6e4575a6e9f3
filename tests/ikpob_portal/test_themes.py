import pytest

from ikpob_portal.kernel.models import Theme, ThemedItem, ThemeRedirect
from ikpob_portal.kernel.themes import merge_themes
from tests.factories import make_publication, make_theme


@pytest.mark.django_db
def test_merge_themes_moves_every_item_to_the_target():
    target = make_theme("Toezicht")
    old = make_theme("Toezichthouders")
    first = make_publication("Eerste", themes=[old])
    second = make_publication("Tweede", themes=[old])

    moved = merge_themes(target=target, others=[old])

    assert moved == 2
    assert [theme.name for theme in first.theme_list] == ["Toezicht"]
    assert [theme.name for theme in second.theme_list] == ["Toezicht"]


@pytest.mark.django_db
def test_merge_themes_item_with_both_themes_keeps_one_link():
    target = make_theme("Toezicht")
    old = make_theme("Toezichthouders")
    publication = make_publication(themes=[target, old])

    moved = merge_themes(target=target, others=[old])

    assert moved == 0
    assert publication.theme_list == [target]
    assert ThemedItem.objects.filter(object_id=publication.pk).count() == 1


@pytest.mark.django_db
def test_merge_themes_item_with_two_merged_themes_keeps_one_link():
    target = make_theme("Toezicht")
    first_old = make_theme("Toezichthouders")
    second_old = make_theme("Inspectie")
    publication = make_publication(themes=[first_old, second_old])

    merge_themes(target=target, others=[first_old, second_old])

    assert publication.theme_list == [target]


@pytest.mark.django_db
def test_merge_themes_deletes_the_merged_themes():
    target = make_theme("Toezicht")
    others = [make_theme("Toezichthouders"), make_theme("Inspectie")]

    merge_themes(target=target, others=others)

    assert list(Theme.objects.values_list("name", flat=True)) == ["Toezicht"]


@pytest.mark.django_db
def test_merge_themes_ignores_the_target_among_the_others():
    target = make_theme("Toezicht")
    old = make_theme("Inspectie")
    publication = make_publication(themes=[target])

    merge_themes(target=target, others=[target, old])

    assert list(Theme.objects.all()) == [target]
    assert publication.theme_list == [target]


@pytest.mark.django_db
def test_merge_themes_old_url_redirects_permanently_to_the_survivor(client):
    target = make_theme("Toezicht")
    old = make_theme("Toezichthouders")
    make_publication("Over toezicht", themes=[old])

    merge_themes(target=target, others=[old])
    response = client.get("/themas/toezichthouders/")

    assert response.status_code == 301
    assert response["Location"] == "/themas/toezicht/"
    assert "Over toezicht" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_merge_themes_twice_collapses_the_redirect_chain(client):
    a = make_theme("Alfa", slug="a")
    b = make_theme("Bravo", slug="b")
    c = make_theme("Charlie", slug="c")

    merge_themes(target=b, others=[a])
    merge_themes(target=c, others=[b])

    for old_slug in ("a", "b"):
        response = client.get(f"/themas/{old_slug}/")
        assert response.status_code == 301
        assert response["Location"] == "/themas/c/"
    assert dict(ThemeRedirect.objects.values_list("old_slug", "theme__slug")) == {
        "a": "c",
        "b": "c",
    }


@pytest.mark.django_db
def test_merge_themes_survivor_slug_never_becomes_a_redirect(client):
    a = make_theme("Alfa", slug="a")
    b = make_theme("Bravo", slug="b")

    # Merge a into b, then (a change of mind) re-create "a" and merge b back into it.
    merge_themes(target=b, others=[a])
    new_a = make_theme("Alfa", slug="a")
    merge_themes(target=new_a, others=[b])

    assert not ThemeRedirect.objects.filter(old_slug="a").exists()
    assert client.get("/themas/a/").status_code == 200
    response = client.get("/themas/b/")
    assert response.status_code == 301
    assert response["Location"] == "/themas/a/"
