"""Subscribing without an account: double opt-in, the daily mail limit, preferences, adding
through a mail link, one-click unsubscribe and expiry of unconfirmed addresses.

Mail goes through the outbox to a real SMTP server in the test process (`smtp_server`).
"""

import re
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.core.cache import cache
from django.utils import timezone

from ikpob_portal.kernel import outbox
from ikpob_portal.subscriptions.models import SavedSearch, Subscription
from tests.factories import make_publication, make_theme
from tests.html import error_summary, find_link, notices, page_heading, parse

SUBSCRIBE = "/volgen/"
LINK = re.compile(r"http://\S+/abonnement/\S+/")


@pytest.fixture(autouse=True)
def _empty_form_limits():
    """The subscribe form's limit per visitor counts in the cache, across tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def theme(db):
    return make_theme("Sturen in netwerken")


def subscribe(client, capture, **fields):
    data = {"email": "anna@example.org", "frequency": "weekly", **fields}
    with capture(execute=True):
        return client.post(SUBSCRIBE, data)


def mails(received) -> list:
    return [message_from_bytes(raw, policy=policy.default) for raw in received]


def text_of(mail) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def link_in(mail, ending: str = "/bevestigen/") -> str:
    """The path of the mail's link that ends so (the confirmation link, by default)."""
    [link] = [link for link in LINK.findall(text_of(mail)) if link.endswith(ending)]
    return link.split("127.0.0.1:8000", 1)[1]


@pytest.mark.django_db
def test_subscribe_form_offers_themes_kinds_frequency_and_newsletter(client, theme):
    page = parse(client.get(SUBSCRIBE))

    assert page_heading(page) == "Op de hoogte blijven"
    legends = [legend.text for legend in page.iter("legend")]
    assert legends == [
        "Thema's (niet verplicht)",
        "Alles van een soort (niet verplicht)",
        "Hoe vaak wilt u een overzicht ontvangen?",
    ]
    kinds = [
        label.text for label in page.iter("label") if label.get("for", "").startswith("id_kinds")
    ]
    assert kinds == ["Publicaties", "Actueel", "Leerkringen", "Evenementen"]


@pytest.mark.django_db
def test_follow_this_theme_link_preselects_the_theme(client, theme):
    page = parse(client.get(f"{SUBSCRIBE}?thema={theme.slug}"))

    [box] = [box for box in page.iter("input") if box.get("value") == theme.slug]
    assert box.get("checked") is not None


@pytest.mark.django_db
def test_double_opt_in_sends_nothing_but_the_confirmation_until_confirmed(
    client, theme, smtp_server, django_capture_on_commit_callbacks
):
    response = subscribe(client, django_capture_on_commit_callbacks, themes=[theme.slug])

    assert response.status_code == 302
    assert page_heading(parse(client.get(response["Location"]))) == "Kijk in uw mailbox"
    subscription = Subscription.objects.get()
    assert not subscription.is_confirmed
    [confirmation] = mails(smtp_server)
    assert confirmation["To"] == "anna@example.org"
    assert confirmation["Subject"] == "Bevestig uw aanmelding bij Stichting IKPOB"
    assert confirmation["List-Unsubscribe"] is None  # nothing to unsubscribe from yet
    confirm_path = link_in(confirmation)
    assert confirm_path == subscription.get_confirm_url()
    assert f"http://127.0.0.1:8000{subscription.get_absolute_url()}" in text_of(confirmation)

    # Opening the link (as a mail scanner does) confirms nothing; the button does.
    page = parse(client.get(confirm_path))
    assert "Thema: Sturen in netwerken" in page.text
    subscription.refresh_from_db()
    assert not subscription.is_confirmed

    response = client.post(confirm_path)
    assert page_heading(parse(response)) == "Aanmelding bevestigd"
    assert response["Cache-Control"] == "private, no-store"
    subscription.refresh_from_db()
    assert subscription.is_confirmed
    assert subscription.digest_from == subscription.confirmed_at


@pytest.mark.django_db
def test_at_most_one_confirmation_mail_per_address_a_day(
    client, theme, smtp_server, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks, themes=[theme.slug])
    subscribe(client, django_capture_on_commit_callbacks, email="ANNA@example.org", newsletter="on")

    assert len(smtp_server) == 1
    subscription = Subscription.objects.get()
    assert subscription.newsletter  # the choices of the last form count
    assert list(subscription.themes.all()) == []

    Subscription.objects.update(mail_sent_at=timezone.now() - timedelta(days=1, minutes=1))
    subscribe(client, django_capture_on_commit_callbacks, themes=[theme.slug])
    assert len(smtp_server) == 2


@pytest.mark.django_db
def test_a_subscribed_address_gets_a_link_to_add_and_nothing_changes_before(
    client, theme, smtp_server, django_capture_on_commit_callbacks
):
    subscription = Subscription.objects.create(
        email="anna@example.org", confirmed_at=timezone.now(), newsletter=True
    )
    first = subscribe(client, django_capture_on_commit_callbacks, themes=[theme.slug])

    # The same answer as for a new address: the form tells nobody who is subscribed.
    assert first.status_code == 302
    assert first["Location"] == "/volgen/verstuurd/"
    subscription.refresh_from_db()
    assert list(subscription.themes.all()) == []
    [mail] = mails(smtp_server)
    assert "Thema: Sturen in netwerken" in text_of(mail)
    assert mail["List-Unsubscribe"] == (
        f"<http://127.0.0.1:8000{subscription.get_unsubscribe_url()}>"
    )
    add_path = next(link for link in LINK.findall(text_of(mail)) if "/toevoegen/" in link)
    add_path = add_path.split("127.0.0.1:8000", 1)[1]

    assert "Sturen in netwerken" in parse(client.get(add_path)).text
    response = client.post(add_path, follow=True)

    assert notices(response) == ["Toegevoegd aan wat u volgt."]
    assert list(subscription.themes.all()) == [theme]
    assert subscription.newsletter  # what was followed stays


@pytest.mark.django_db
def test_an_add_link_for_another_subscription_does_not_work(client, theme):
    anna = Subscription.objects.create(email="anna@example.org", confirmed_at=timezone.now())
    bob = Subscription.objects.create(email="bob@example.org", confirmed_at=timezone.now())
    signed = anna.get_add_url({"themes": [theme.pk]}).rstrip("/").rsplit("/", 1)[1]

    response = client.post(f"/abonnement/{bob.token}/toevoegen/{signed}/")

    assert response.status_code == 410
    assert list(bob.themes.all()) == []


@pytest.mark.django_db
def test_nothing_chosen_gets_a_dutch_message_and_saves_nothing(client):
    response = client.post(SUBSCRIBE, {"email": "anna@example.org", "frequency": "weekly"})

    assert response.status_code == 200
    assert "Kies minstens één thema, een soort informatie, een zoekopdracht of de nieuwsbrief." in (
        " ".join(notices(response))
    )
    assert Subscription.objects.count() == 0


@pytest.mark.django_db
def test_invalid_address_is_named_in_the_error_summary(client, theme):
    response = client.post(
        SUBSCRIBE, {"email": "anna@", "frequency": "weekly", "themes": [theme.slug]}
    )

    summary = error_summary(response)
    assert [error.text for error in summary.errors] == [
        "E-mailadres: Vul een geldig e-mailadres in, zoals naam@organisatie.nl."
    ]
    # What was chosen stays chosen.
    [box] = [box for box in parse(response).iter("input") if box.get("value") == theme.slug]
    assert box.get("checked") is not None
    assert Subscription.objects.count() == 0


@pytest.mark.django_db
def test_filled_honeypot_is_refused_and_nothing_is_saved(client, theme):
    response = client.post(
        SUBSCRIBE,
        {"email": "a@example.org", "frequency": "weekly", "themes": [theme.slug], "website": "x"},
    )

    assert response.status_code == 400
    assert Subscription.objects.count() == 0


@pytest.mark.django_db
def test_follow_this_search_saves_the_list_search_with_a_readable_label(
    client, theme, django_capture_on_commit_callbacks
):
    page = parse(
        client.get(
            f"{SUBSCRIBE}?pagina=publications:list&zoekopdracht=thema%3D{theme.slug}%26page%3D3"
        )
    )
    assert "Publicaties (Thema: Sturen in netwerken)" in " ".join(notices(page))

    subscribe(
        client,
        django_capture_on_commit_callbacks,
        search_page="publications:list",
        search_query=f"thema={theme.slug}&page=3",
    )

    [saved] = SavedSearch.objects.all()
    assert (saved.url_name, saved.query) == ("publications:list", f"thema={theme.slug}")
    assert saved.label == "Publicaties (Thema: Sturen in netwerken)"
    assert saved.get_absolute_url() == f"/publicaties/?thema={theme.slug}"


@pytest.mark.django_db
def test_a_search_with_an_unknown_value_cannot_be_followed(client):
    response = client.post(
        SUBSCRIBE,
        {
            "email": "anna@example.org",
            "frequency": "weekly",
            "search_page": "publications:list",
            "search_query": "thema=bestaat-niet",
        },
    )

    assert "Deze zoekopdracht kunnen we niet volgen." in " ".join(notices(response))
    assert Subscription.objects.count() == 0


@pytest.mark.django_db
def test_preferences_page_changes_choices_and_drops_a_search(client, theme):
    subscription = Subscription.objects.create(
        email="anna@example.org", confirmed_at=timezone.now()
    )
    kept = SavedSearch.objects.create(
        subscription=subscription, url_name="search", query="q=a", label="a"
    )
    SavedSearch.objects.create(subscription=subscription, url_name="search", query="q=b", label="b")

    response = client.post(
        subscription.get_absolute_url(),
        {"themes": [theme.slug], "frequency": "monthly", "searches": [kept.pk]},
    )

    assert notices(response) == ["Uw keuzes zijn bewaard."]
    assert response["X-Robots-Tag"] == "noindex"
    subscription.refresh_from_db()
    assert subscription.frequency == "monthly"
    assert list(subscription.themes.all()) == [theme]
    assert list(subscription.searches.all()) == [kept]


@pytest.mark.django_db
def test_preferences_with_nothing_left_point_to_unsubscribing(client, theme):
    subscription = Subscription.objects.create(email="anna@example.org", newsletter=True)

    response = client.post(subscription.get_absolute_url(), {"frequency": "weekly"})

    assert "Meld u dan af" in " ".join(notices(response))
    subscription.refresh_from_db()
    assert subscription.newsletter


@pytest.mark.django_db
def test_unsubscribe_page_then_button_deletes_everything(client, theme):
    subscription = Subscription.objects.create(
        email="anna@example.org", confirmed_at=timezone.now()
    )
    subscription.themes.add(theme)
    SavedSearch.objects.create(subscription=subscription, url_name="search", query="q=a", label="a")

    page = parse(client.get(subscription.get_unsubscribe_url()))
    assert page_heading(page) == "Afmelden"
    response = client.post(subscription.get_unsubscribe_url())

    assert page_heading(parse(response)) == "U bent afgemeld"
    assert Subscription.objects.count() == 0
    assert SavedSearch.objects.count() == 0


@pytest.mark.django_db
def test_one_click_unsubscribe_works_without_a_form_or_cookie():
    from django.test import Client

    subscription = Subscription.objects.create(
        email="anna@example.org", confirmed_at=timezone.now()
    )
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        subscription.get_unsubscribe_url(),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert Subscription.objects.count() == 0
    again = mail_client.post(
        subscription.get_unsubscribe_url(),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert again.status_code == 200


@pytest.mark.django_db
def test_unknown_personal_link_is_not_found(client):
    assert client.get("/abonnement/onbekend/").status_code == 404
    assert client.get("/abonnement/onbekend/afmelden/").status_code == 404


@pytest.mark.django_db
def test_unconfirmed_addresses_are_deleted_after_seven_days(client, theme):
    old = Subscription.objects.create(
        email="old@example.org", created_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    young = Subscription.objects.create(
        email="young@example.org", created_at=timezone.now() - timedelta(days=6)
    )
    confirmed = Subscription.objects.create(
        email="kept@example.org",
        created_at=timezone.now() - timedelta(days=30),
        confirmed_at=timezone.now() - timedelta(days=29),
    )

    outbox.run_scheduled()

    assert set(Subscription.objects.all()) == {young, confirmed}
    assert client.get(old.get_confirm_url()).status_code == 404


@pytest.mark.django_db
def test_personal_pages_are_not_for_robots(client):
    robots = client.get("/robots.txt").content.decode()

    assert "Disallow: /abonnement/" in robots


# --- "Volg …" links on the site -----------------------------------------------------------


@pytest.mark.django_db
def test_theme_page_links_to_following_the_theme(client, theme):
    link = find_link(client.get(theme.get_absolute_url()), text="Volg dit thema")

    assert link.get("href") == f"/volgen/?thema={theme.slug}"


@pytest.mark.django_db
def test_filtered_list_links_to_following_its_search_without_page_or_order(client, theme):
    for number in range(25):
        make_publication(f"Publicatie {number}", themes=[theme])

    response = client.get(f"/publicaties/?thema={theme.slug}&page=2&sortering=titel")
    link = find_link(response, text="Volg deze zoekopdracht")

    assert (
        link.get("href") == f"/volgen/?pagina=publications%3Alist&zoekopdracht=thema%3D{theme.slug}"
    )
    assert "Volg deze zoekopdracht" not in client.get("/publicaties/").content.decode()
    assert "Volg deze zoekopdracht" not in client.get("/netwerk/?q=gemeente").content.decode()


@pytest.mark.django_db
def test_search_page_links_to_following_the_search(client):
    response = client.get("/zoeken/?q=toezicht&soort=publication")
    link = find_link(response, text="Volg deze zoekopdracht")

    assert link.get("href") == (
        "/volgen/?pagina=search&zoekopdracht=q%3Dtoezicht%26soort%3Dpublication"
    )


@pytest.mark.django_db
def test_english_subscription_pages_have_no_dutch_interface_strings(client, theme):
    from tests.test_i18n import dutch_strings_on, html_lang

    subscription = Subscription.objects.create(email="anna@example.org")
    subscription.themes.add(theme)
    SavedSearch.objects.create(
        subscription=subscription, url_name="search", query="q=toezicht", label="toezicht"
    )
    pages = [
        f"/en/volgen/?thema={theme.slug}",
        "/en/volgen/verstuurd/",
        f"/en{subscription.get_confirm_url()}",
        f"/en{subscription.get_absolute_url()}",
        f"/en{subscription.get_unsubscribe_url()}",
        f"/en{subscription.get_add_url({'themes': [theme.pk]})}",
    ]
    for url in pages:
        response = client.get(url)

        assert response.status_code == 200, url
        assert html_lang(response) == "en", url
        assert dutch_strings_on(response) == [], url
    response = client.post(f"/en{subscription.get_unsubscribe_url()}")
    assert dutch_strings_on(response) == []


# --- Edges --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_search_over_many_themes_is_saved_with_a_shortened_label(
    client, django_capture_on_commit_callbacks
):
    themes = [make_theme(f"Een nogal lang thema over van alles nummer {n}") for n in range(15)]
    query = "&".join(f"thema={theme.slug}" for theme in themes)

    subscribe(
        client,
        django_capture_on_commit_callbacks,
        search_page="publications:list",
        search_query=query,
    )

    [saved] = SavedSearch.objects.all()
    assert len(saved.label) <= 300
    assert saved.label.endswith("…")


@pytest.mark.django_db
def test_an_unfollowable_search_is_said_once_then_the_form_works(
    client, theme, django_capture_on_commit_callbacks
):
    link = f"{SUBSCRIBE}?pagina=publications:list&zoekopdracht=thema%3Dbestaat-niet"
    assert "Deze zoekopdracht kunnen we niet volgen." in " ".join(notices(client.get(link)))
    data = {
        "email": "anna@example.org",
        "frequency": "weekly",
        "themes": [theme.slug],
        "search_page": "publications:list",
        "search_query": "thema=bestaat-niet",
    }
    first = client.post(SUBSCRIBE, data)
    page = parse(first)
    hidden = {box.get("name"): box.get("value", "") for box in page.iter("input")}
    assert hidden["search_page"] == ""

    data.update(search_page="", search_query="")
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(SUBSCRIBE, data)
    assert second.status_code == 302


@pytest.mark.django_db
def test_a_site_search_within_a_kind_without_alerts_cannot_be_followed(client):
    response = client.get("/zoeken/?q=gemeente&soort=organisation")

    assert "Volg deze zoekopdracht" not in response.content.decode()
    page = parse(
        client.get(f"{SUBSCRIBE}?pagina=search&zoekopdracht=q%3Dgemeente%26soort%3Dorganisation")
    )
    assert "Deze zoekopdracht kunnen we niet volgen." in " ".join(notices(page))


@pytest.mark.django_db
def test_a_token_with_odd_characters_is_simply_not_found(client):
    assert client.get("/abonnement/a%00b/").status_code == 404
    assert client.post("/abonnement/a%00b/afmelden/").status_code == 404


@pytest.mark.django_db
def test_a_new_confirmation_mail_gives_seven_more_days(
    client, theme, smtp_server, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks, themes=[theme.slug])
    six_days_ago = timezone.now() - timedelta(days=6)
    Subscription.objects.update(created_at=six_days_ago, mail_sent_at=six_days_ago)

    subscribe(client, django_capture_on_commit_callbacks, themes=[theme.slug])
    Subscription.objects.update(
        mail_sent_at=timezone.now() - timedelta(days=6),
        created_at=timezone.now() - timedelta(days=6),
    )
    outbox.run_scheduled()

    assert Subscription.objects.count() == 1
    assert len(smtp_server) == 2


@pytest.mark.django_db
def test_an_expired_confirmation_link_confirms_nothing(client, theme):
    subscription = Subscription.objects.create(
        email="anna@example.org", created_at=timezone.now() - timedelta(days=8)
    )

    response = client.post(subscription.get_confirm_url())

    assert response.status_code == 410
    assert page_heading(parse(response, status=410)) == "Deze link werkt niet meer"
    subscription.refresh_from_db()
    assert not subscription.is_confirmed


@pytest.mark.django_db
def test_adding_a_theme_keeps_the_frequency(client, theme):
    subscription = Subscription.objects.create(
        email="anna@example.org", confirmed_at=timezone.now(), frequency="monthly"
    )
    add_path = subscription.get_add_url({"themes": [theme.pk], "frequency": "weekly"})

    client.post(add_path)

    subscription.refresh_from_db()
    assert subscription.frequency == "monthly"
    assert list(subscription.themes.all()) == [theme]


@pytest.mark.django_db
def test_unsubscribing_forgets_what_an_add_mail_carried(
    client, theme, django_capture_on_commit_callbacks
):
    from ikpob_portal.kernel.models import OutgoingMail

    subscription = Subscription.objects.create(
        email="anna@example.org", confirmed_at=timezone.now()
    )
    subscribe(
        client, django_capture_on_commit_callbacks, search_page="search", search_query="q=geheim"
    )
    assert OutgoingMail.objects.get(kind="subscriptions.additions").data != {}

    client.post(subscription.get_unsubscribe_url())

    assert OutgoingMail.objects.get(kind="subscriptions.additions").data == {}


@pytest.mark.django_db
def test_the_form_filled_in_by_a_follow_link_is_not_for_search_engines(client, theme):
    plain = client.get(SUBSCRIBE).content.decode()
    filled_in = client.get(f"{SUBSCRIBE}?thema={theme.slug}").content.decode()

    assert 'name="robots"' not in plain
    assert '<meta name="robots" content="noindex, follow">' in filled_in
