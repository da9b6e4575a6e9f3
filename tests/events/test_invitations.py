"""Events on invitation and closed groups (issue 16, item 5): who may register, with what, once.

An event "alleen op uitnodiging" takes registrations only with a personal invitation link (or
its group code, if it has one); a closed group only with its group code. The service enforces
it, so a direct POST without a valid invitation registers nobody.
"""

import email
from datetime import timedelta
from email import policy

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import invitations, services
from events.models import Event, Invitation, Registration
from ikpob_portal.kernel.models import OutgoingMail
from tests.factories import make_event
from tests.html import (
    admin_messages,
    card_titles,
    cards,
    control,
    error_summary,
    main,
    notices,
    parse,
    section,
    text,
)

pytestmark = pytest.mark.django_db

SENT = Invitation.State.SENT
REGISTERED = Invitation.State.REGISTERED
DECLINED = Invitation.State.DECLINED
EXPIRED = Invitation.State.EXPIRED


@pytest.fixture(autouse=True)
def _empty_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kbs(db) -> Event:
    """An invitation-only KBS conversation within one inspectorate, without a group code."""
    return make_event(
        "KBS-gesprek Inspectie SZW", access=Event.Access.INVITATION, kind=Event.Kind.MEETING
    )


def register_url(event: Event) -> str:
    return f"/evenementen/{event.slug}/aanmelden/"


def invitation_url(invitation: Invitation) -> str:
    return f"{register_url(invitation.event)}?uitnodiging={invitation.token}"


def form_data(**overrides) -> dict:
    data = {
        "name": "Anna Jansen",
        "email": "anna@szw.nl",
        "organisation": "Inspectie SZW",
        "job_title": "",
        "needs": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def person(**overrides) -> dict:
    data = form_data(**overrides)
    del data["consent"]
    return data


def invite(event: Event, address: str = "anna@szw.nl") -> Invitation:
    return Invitation.objects.create(event=event, email=address, sent_at=timezone.now())


# --- The service ------------------------------------------------------------------------------


def test_register_refuses_an_invitation_only_event_without_invitation(kbs):
    with pytest.raises(services.RegistrationError) as refused:
        services.register(event=kbs, data=person())

    assert "alleen op uitnodiging" in refused.value.message
    assert not Registration.objects.exists()


def test_register_uses_an_invitation_once(kbs):
    invitation = invite(kbs)

    registration = services.register(event=kbs, data=person(), invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.state == REGISTERED
    assert invitation.registration == registration
    assert invitation.answered_at is not None
    with pytest.raises(services.RegistrationError) as refused:
        services.register(event=kbs, data=person(email="ander@szw.nl"), invitation=invitation)
    assert refused.value.message.startswith("Deze uitnodiging is al gebruikt")
    assert Registration.objects.count() == 1


def test_register_with_an_invitation_accepts_another_address_and_keeps_the_link(kbs):
    invitation = invite(kbs, "a.jansen@szw.nl")

    registration = services.register(
        event=kbs, data=person(email="anna.prive@example.org"), invitation=invitation
    )

    assert registration.email == "anna.prive@example.org"
    assert Invitation.objects.get().registration == registration


def test_register_refuses_an_invitation_to_another_event(kbs):
    other = make_event("Andere bijeenkomst", access=Event.Access.INVITATION)
    invitation = invite(other)

    with pytest.raises(services.RegistrationError):
        services.register(event=kbs, data=person(), invitation=invitation)

    assert Invitation.objects.get().state == SENT
    assert not Registration.objects.exists()


def test_register_accepts_the_group_code_in_any_case_and_refuses_a_wrong_one():
    closed = make_event("Teamdag toezicht", access=Event.Access.CLOSED, group_code="Toezicht-2026")

    with pytest.raises(services.RegistrationError) as wrong:
        services.register(event=closed, data=person(), group_code="toezicht-2025")
    with pytest.raises(services.RegistrationError) as missing:
        services.register(event=closed, data=person())
    registration = services.register(event=closed, data=person(), group_code=" TOEZICHT-2026 ")

    assert wrong.value.message.startswith("Deze groepscode klopt niet")
    assert wrong.value.field == "group_code"
    assert missing.value.message.startswith("Dit is een besloten bijeenkomst")
    assert list(Registration.objects.all()) == [registration]


def test_a_closed_group_does_not_open_with_an_invitation_alone():
    closed = make_event("Teamdag", access=Event.Access.CLOSED, group_code="team")

    with pytest.raises(services.RegistrationError):
        services.register(event=closed, data=person(), invitation=invite(closed))

    assert not Registration.objects.exists()


def test_invitation_expires_when_registration_closes(kbs):
    invitation = invite(kbs)
    kbs.registration_closes_at = timezone.now() - timedelta(minutes=1)
    kbs.registration_opens_at = timezone.now() - timedelta(days=2)
    kbs.save()

    invitation.refresh_from_db()
    assert invitation.state == SENT
    assert invitation.effective_state == EXPIRED
    assert list(Invitation.objects.expired()) == [invitation]
    assert not Invitation.objects.usable().exists()


# --- The pages --------------------------------------------------------------------------------


def test_direct_post_without_invitation_registers_nobody(client, kbs):
    response = client.post(register_url(kbs), form_data())

    assert response.status_code == 200
    assert "Aanmelden voor dit evenement kan alleen op uitnodiging" in text(response)
    assert not Registration.objects.exists()


def test_direct_post_with_a_made_up_token_registers_nobody(client, kbs):
    invite(kbs)

    client.post(register_url(kbs), form_data(invitation="verzonnen-token"))

    assert not Registration.objects.exists()
    assert Invitation.objects.get().state == SENT


def test_invitation_link_prefills_the_address_and_registers_once(client, kbs):
    invitation = invite(kbs)

    page = client.get(invitation_url(invitation))
    assert control(page, "email").get("value") == "anna@szw.nl"
    assert control(page, "invitation").get("value") == invitation.token
    assert page["Cache-Control"] == "private, no-store"

    first = client.post(register_url(kbs), form_data(invitation=invitation.token))
    second = client.post(
        register_url(kbs), form_data(email="iemand@szw.nl", invitation=invitation.token)
    )

    assert first.status_code == 302
    assert Registration.objects.count() == 1
    assert Invitation.objects.get().state == REGISTERED
    assert "Deze uitnodiging is al gebruikt" in text(second)
    # The used link now says so instead of offering the form.
    used = client.get(invitation_url(invitation))
    assert any("al gebruikt" in notice for notice in notices(used))
    assert main(used).find("input", name="name") is None


def test_invitation_only_page_without_link_shows_no_form(client, kbs):
    page = client.get(register_url(kbs))

    assert "Aanmelden kan alleen met de persoonlijke link uit uw uitnodiging." in text(page)
    assert main(page).find("input", name="name") is None


def test_event_page_says_invitation_only_instead_of_the_register_button(client, kbs):
    page = parse(client.get(kbs.get_absolute_url()))

    register = section(page, "Aanmelden")
    assert "Alleen op uitnodiging" in register.text
    assert register.find("a", href=register_url(kbs)) is None


def test_event_page_of_a_closed_group_offers_the_group_code(client):
    closed = make_event("Teamdag toezicht", access=Event.Access.CLOSED, group_code="team")

    register = section(client.get(closed.get_absolute_url()), "Aanmelden")

    assert "Besloten bijeenkomst" in register.text
    assert register.find("a", href=register_url(closed)).text.startswith(
        "Aanmelden met de groepscode"
    )


def test_group_code_form_registers_case_insensitively_and_refuses_a_wrong_code(client):
    event = make_event("KBS-gesprek IGJ", access=Event.Access.INVITATION, group_code="IGJ-team")
    page = client.get(register_url(event))
    assert control(page, "group_code") is not None

    wrong = client.post(register_url(event), form_data(group_code="igj-tem"))
    assert [error.text for error in error_summary(wrong).errors] == [
        "Groepscode: Deze groepscode klopt niet. Controleer de code en probeer het opnieuw."
    ]
    assert not Registration.objects.exists()

    right = client.post(register_url(event), form_data(group_code="igj-TEAM"))
    assert right.status_code == 302
    assert Registration.objects.count() == 1


def test_invitee_declines_with_one_post(client, kbs):
    invitation = invite(kbs)
    page = client.get(invitation_url(invitation))
    assert section(page, "Kunt u niet?").find("button").text == "Ik kom niet"

    response = client.post(f"/evenementen/{kbs.slug}/uitnodiging/{invitation.token}/afslaan/")

    assert response.status_code == 302
    assert response["Location"] == invitation_url(invitation)
    invitation.refresh_from_db()
    assert invitation.state == DECLINED
    after = client.get(invitation_url(invitation))
    assert any("U heeft deze uitnodiging afgeslagen" in notice for notice in notices(after))
    refused = client.post(register_url(kbs), form_data(invitation=invitation.token))
    assert refused.status_code == 200
    assert not Registration.objects.exists()


def test_agenda_lists_invitation_only_and_closed_events_with_their_note(client, kbs):
    make_event("Teamdag toezicht", access=Event.Access.CLOSED, group_code="team")
    make_event("Open congres")

    page = client.get("/evenementen/")

    assert set(card_titles(page)) == {
        "KBS-gesprek Inspectie SZW",
        "Teamdag toezicht",
        "Open congres",
    }
    lines = {card.title: " ".join(card.lines) for card in cards(page)}
    assert "Alleen op uitnodiging" in lines["KBS-gesprek Inspectie SZW"]
    assert "Besloten bijeenkomst" in lines["Teamdag toezicht"]
    assert "uitnodiging" not in lines["Open congres"]


def test_invitation_page_query_count_is_capped(client, kbs, django_assert_max_num_queries):
    invitation = invite(kbs)
    client.get(invitation_url(invitation))

    with django_assert_max_num_queries(12):
        assert client.get(invitation_url(invitation)).status_code == 200


# --- The admin --------------------------------------------------------------------------------


EVENTS = f"/{settings.ADMIN_URL}events/event/"


def invite_page(event: Event) -> str:
    return f"{EVENTS}{event.pk}/uitnodigingen/"


def test_editor_pastes_addresses_and_a_bad_one_is_reported(editor_client, kbs):
    url = invite_page(kbs)

    response = editor_client.post(url, {"addresses": "anna@szw.nl\nbert@szw,nl; carla@igj.nl"})

    assert response.status_code == 200
    page = parse(response)
    assert "‘bert@szw’ is geen geldig e-mailadres." in page.text
    assert "‘nl’ is geen geldig e-mailadres." in page.text
    assert "Verbeter deze adressen; er is nog niets verstuurd." in page.text
    assert not Invitation.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_editor_invites_once_each_and_already_invited_are_skipped(
    editor_client, kbs, mailoutbox, django_capture_on_commit_callbacks
):
    invite(kbs, "Anna@SZW.nl")
    url = invite_page(kbs)
    upload = SimpleUploadedFile(
        "adressen.csv", b"email,naam\r\ncarla@igj.nl,Carla\r\n", content_type="text/csv"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            url,
            {"addresses": "anna@szw.nl, bert@szw.nl;\nbert@szw.nl", "upload": upload},
            follow=True,
        )

    assert admin_messages(response) == [
        "2 uitnodigingen verstuurd.",
        "Al eerder uitgenodigd, niet opnieuw verstuurd: anna@szw.nl",
    ]
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "Anna@SZW.nl", "bert@szw.nl", "carla@igj.nl",
    ]  # fmt: skip
    assert OutgoingMail.objects.filter(kind=invitations.INVITATION_MAIL).count() == 2
    assert sorted(message.to[0] for message in mailoutbox) == ["bert@szw.nl", "carla@igj.nl"]


def test_invitation_mail_is_dutch_text_and_html_with_the_personal_link(
    kbs, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(event=kbs, addresses=["anna@szw.nl"])

    [message] = mailoutbox
    invitation = Invitation.objects.get()
    link = f"{settings.SITE_URL}{invitation_url(invitation)}"
    assert message.subject == "Uitnodiging: KBS-gesprek Inspectie SZW"
    assert message.to == ["anna@szw.nl"]
    assert "U bent persoonlijk uitgenodigd voor KBS-gesprek Inspectie SZW." in message.body
    assert link in message.body
    assert "Stadhuis Utrecht" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert parsed.get_body(("html",)).get_content().count(f'href="{link}"') == 1
    assert '<html lang="nl">' in html


def test_invite_page_is_for_editors_who_may_change_events(client, kbs, django_user_model):
    url = invite_page(kbs)
    staff = django_user_model.objects.create_user("kijker", password="x", is_staff=True)
    client.force_login(staff)

    assert client.get(url).status_code == 403


def test_event_change_page_lists_invitations_with_their_state(editor_client, kbs):
    invite(kbs, "anna@szw.nl")
    declined = invite(kbs, "bert@szw.nl")
    invitations.decline(invitation=declined)

    page = parse(editor_client.get(f"{EVENTS}{kbs.pk}/change/"))

    assert page.find("a", href=invite_page(kbs)) is not None
    assert "anna@szw.nl" in page.text
    assert "Afgeslagen" in page.text


def test_invite_page_query_count_is_capped(editor_client, kbs, django_assert_max_num_queries):
    for number in range(5):
        invite(kbs, f"deelnemer{number}@szw.nl")
    url = invite_page(kbs)
    editor_client.get(url)

    with django_assert_max_num_queries(12):
        assert editor_client.get(url).status_code == 200


# --- Privacy ----------------------------------------------------------------------------------


def test_purge_erases_invitation_addresses_with_the_registrations(kbs):
    long_ago = timezone.now() - timedelta(days=400)
    old = make_event(
        "Oud KBS-gesprek",
        access=Event.Access.INVITATION,
        starts_at=long_ago,
        ends_at=long_ago + timedelta(hours=2),
    )
    used = invite(old, "anna@szw.nl")
    used.state = REGISTERED
    used.save()
    unanswered = invite(old, "bert@szw.nl")
    recent = invite(kbs, "carla@szw.nl")

    purged = services.purge(retention_days=30)

    assert purged.invitations_erased == 2
    addresses = dict(Invitation.objects.values_list("pk", "email"))
    assert "szw.nl" not in addresses[used.pk] + addresses[unanswered.pk]
    assert addresses[recent.pk] == "carla@szw.nl"
    assert Invitation.objects.get(pk=used.pk).state == REGISTERED  # the counts stay
    assert services.purge(retention_days=30).invitations_erased == 0


def test_event_change_page_query_count_does_not_grow_with_invitations(
    editor_client, kbs, django_assert_max_num_queries
):
    url = f"{EVENTS}{kbs.pk}/change/"
    invite(kbs, "eerste@szw.nl")
    editor_client.get(url)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(url)
    for number in range(8):
        invite(kbs, f"deelnemer{number}@szw.nl")

    with django_assert_max_num_queries(len(few)):
        assert editor_client.get(url).status_code == 200


def test_cancelled_invitee_gets_no_register_again_link_that_would_refuse_them(
    kbs, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(event=kbs, data=person(), invitation=invite(kbs))
        services.cancel(token=registration.token)

    cancelled = mailoutbox[-1]
    assert cancelled.subject.startswith("Uw aanmelding is geannuleerd")
    assert "opnieuw aan" not in cancelled.body


def test_a_mangled_invitation_link_is_unknown_not_an_error(client, kbs):
    page = client.get(register_url(kbs), {"uitnodiging": "abc\x00def"})

    assert "Deze uitnodigingslink klopt niet" in text(page)
