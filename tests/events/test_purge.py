"""`manage.py purge_registrations`: personal data goes, statistics stay."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.factories import make_event, make_registration, make_session

DAY = timedelta(days=1)
CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_registrations", *args, stdout=out)
    return out.getvalue().strip()


def ended(days_ago: float, title: str) -> Event:
    end = timezone.now() - DAY * days_ago
    return make_event(title, starts_at=end - timedelta(hours=6), ends_at=end)


def fill(event: Event) -> dict[str, Registration]:
    workshop = make_session(event, "Workshop")
    return {
        "confirmed": make_registration(
            event,
            name="Anna Jansen",
            email="anna@utrecht.nl",
            organisation="Gemeente Utrecht",
            job_title="beleidsadviseur",
            needs="Rolstoeltoegang",
            sessions=[workshop],
            checked_in_at=event.starts_at,
        ),
        "waiting": make_registration(event, status=WAITING, needs="Vegetarisch"),
        "cancelled": make_registration(event, status=CANCELLED),
    }


def counts(event: Event) -> dict[str, int]:
    rows = event.registrations.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


@pytest.fixture
def long_ago(db) -> Event:
    """Ended 31 days ago: past the default retention of 30 days."""
    return ended(31, "Slotconferentie")


@pytest.mark.django_db
def test_purge_removes_personal_data_after_the_retention_period(long_ago):
    made = fill(long_ago)

    purge()

    anna = Registration.objects.get(pk=made["confirmed"].pk)
    assert anna.name == "—"
    assert anna.email == f"geanonimiseerd-{anna.pk}@ikpob.invalid"
    assert anna.job_title == ""
    assert anna.needs == ""
    assert anna.anonymised_at is not None
    values = " ".join(str(value) for value in Registration.objects.values_list().get(pk=anna.pk))
    for personal in ("Anna", "Jansen", "anna@utrecht.nl", "beleidsadviseur", "Rolstoeltoegang"):
        assert personal not in values
    for registration in Registration.objects.filter(event=long_ago):
        assert registration.anonymised_at is not None
        assert "deelnemer" not in registration.email


@pytest.mark.django_db
def test_purge_keeps_statuses_counts_sessions_and_check_ins(long_ago):
    made = fill(long_ago)
    before = counts(long_ago)

    purge()

    assert counts(long_ago) == before == {CONFIRMED: 1, WAITING: 1, CANCELLED: 1}
    anna = Registration.objects.get(pk=made["confirmed"].pk)
    assert anna.status == CONFIRMED
    assert anna.organisation == "Gemeente Utrecht"
    assert [session.title for session in anna.sessions.all()] == ["Workshop"]
    assert anna.checked_in_at == made["confirmed"].checked_in_at
    assert anna.created == made["confirmed"].created


@pytest.mark.django_db
def test_purge_clears_needs_right_after_the_event_but_keeps_the_rest(db):
    yesterday = ended(1, "Bijeenkomst van gisteren")
    made = fill(yesterday)

    purge()

    anna = Registration.objects.get(pk=made["confirmed"].pk)
    assert anna.needs == ""
    assert Registration.objects.get(pk=made["waiting"].pk).needs == ""
    assert (anna.name, anna.email, anna.job_title) == (
        "Anna Jansen",
        "anna@utrecht.nl",
        "beleidsadviseur",
    )
    assert anna.anonymised_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts", "ends"), [(10, 10.25), (-0.1, 0.1)], ids=["upcoming", "running-now"]
)
def test_purge_leaves_events_that_have_not_ended_alone(starts, ends):
    now = timezone.now()
    event = make_event(starts_at=now + DAY * starts, ends_at=now + DAY * ends)
    made = fill(event)

    purge()

    anna = Registration.objects.get(pk=made["confirmed"].pk)
    assert (anna.name, anna.email, anna.needs, anna.anonymised_at) == (
        "Anna Jansen",
        "anna@utrecht.nl",
        "Rolstoeltoegang",
        None,
    )


@pytest.mark.django_db
def test_purge_is_idempotent(long_ago):
    fill(long_ago)
    fill(ended(1, "Gisteren"))
    first_output = purge()
    after_first = list(Registration.objects.order_by("pk").values())

    second_output = purge()

    assert list(Registration.objects.order_by("pk").values()) == after_first
    assert first_output == (
        "Wensen gewist bij 4 aanmelding(en); 3 aanmelding(en) geanonimiseerd (ouder dan 30 "
        "dagen na afloop)."
    )
    assert second_output == (
        "Wensen gewist bij 0 aanmelding(en); 0 aanmelding(en) geanonimiseerd (ouder dan 30 "
        "dagen na afloop)."
    )


@pytest.mark.django_db
def test_purge_follows_the_retention_setting_and_the_days_option(settings):
    ten_days = ended(10, "Tien dagen geleden")
    made = fill(ten_days)
    settings.REGISTRATION_RETENTION_DAYS = 30

    purge()
    assert Registration.objects.get(pk=made["confirmed"].pk).anonymised_at is None

    settings.REGISTRATION_RETENTION_DAYS = 7
    purge()
    assert Registration.objects.get(pk=made["confirmed"].pk).anonymised_at is not None


@pytest.mark.django_db
def test_purge_days_option_overrides_the_setting(db):
    made = fill(ended(10, "Tien dagen geleden"))

    output = purge("--days", "5")

    assert Registration.objects.get(pk=made["confirmed"].pk).anonymised_at is not None
    assert output.endswith("(ouder dan 5 dagen na afloop).")


@pytest.mark.django_db
def test_purged_registrations_personal_link_is_gone(client, long_ago):
    made = fill(long_ago)
    url = made["confirmed"].get_absolute_url()
    assert client.get(url).status_code == 200

    purge()

    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_purge_command_leaves_the_work_to_the_service(monkeypatch, settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    calls = []

    def purge_in_service(*, retention_days: int) -> services.Purged:
        calls.append(retention_days)
        return services.Purged(needs_cleared=7, anonymised=3)

    monkeypatch.setattr(services, "purge", purge_in_service)

    assert purge() == (
        "Wensen gewist bij 7 aanmelding(en); 3 aanmelding(en) geanonimiseerd (ouder dan 30 "
        "dagen na afloop)."
    )
    assert purge("--days", "5").endswith("(ouder dan 5 dagen na afloop).")
    assert calls == [30, 5]
