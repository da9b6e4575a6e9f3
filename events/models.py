"""Congresses, meetings and webinars, and the registrations for them."""

import datetime
import functools
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Lower, Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.models import (
    Publishable,
    PublishableQuerySet,
    prefetch_themes,
    published_constraint,
    themes_field,
)
from ikpob_portal.kernel.reversing import detail_url
from ikpob_portal.platform import cache as page_cache
from ikpob_portal.platform.images import CoverImage, image_constraints
from network.models import Organisation, Person

# Fixed paths under /evenementen/ that an event's slug may not take.
RESERVED_SLUGS = frozenset({"archief", "agenda"})

# Without a closing moment of its own, an evaluation stays open this long after the event ends:
# as long as the personal link works (REGISTRATION_RETENTION_DAYS, 30 by default).
EVALUATION_OPEN_DAYS = 30


class RegistrationState(models.TextChoices):
    """Whether a visitor can register right now, and if not, why."""

    NOT_REQUIRED = "not_required", _("Aanmelden is niet nodig")
    NOT_YET_OPEN = "not_yet_open", _("Aanmelden kan nog niet")
    OPEN = "open", _("Aanmelden is open")
    FULL = "full", _("Vol — aanmelden voor de wachtlijst")
    CLOSED = "closed", _("Aanmelden is gesloten")
    PAST = "past", _("Dit evenement is voorbij")


def count_per_row(registrations: "RegistrationQuerySet", link: str) -> Coalesce:
    """Annotation: how many of `registrations` point at each outer row through `link`
    ("event" for events, "sessions" for sessions).

    A subquery per row, not a join with GROUP BY: a page of events then counts its own
    registrations instead of grouping every registration there is."""
    counted = (
        registrations.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def places_scope(event_id: int) -> str:
    """The page cache's scope of an event's registrations (events.declarations): a page that
    shows its places left is stored only until one of them changes."""
    return f"event:{event_id}"


def places_taken_per_row(link: str) -> Coalesce:
    """Annotation: places taken per event or session (`link` as in `count_per_row`)."""
    return count_per_row(Registration.objects.holding_places(), link)


@functools.cache
def _counts_per_event() -> dict[str, Coalesce | Exists]:
    """The per-event annotations, built once per process.

    Building one of these subqueries (a queryset with its filters, made into an expression)
    costs more CPU than PostgreSQL spends running it: about a millisecond per page that shows
    an event's places, on the registration form, its POST and the lists. An expression can be
    reused: every `annotate()` resolves a copy of it for its own query. What they count is
    decided in the database (`Now()`), so nothing in them grows stale.
    """
    return {
        "confirmed_count": places_taken_per_row("event"),
        "waiting_count": count_per_row(Registration.objects.waiting(), "event"),
        "has_sessions": Exists(Session.objects.filter(event=OuterRef("pk"))),
    }


class EventQuerySet(PublishableQuerySet):
    def upcoming(self) -> "EventQuerySet":
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "title")

    def past(self) -> "EventQuerySet":
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "title")

    def with_counts(self) -> "EventQuerySet":
        """Annotate places taken and waiting-list counts (one query, for lists and admin)."""
        counts = _counts_per_event()
        return self.annotate(
            confirmed_count=counts["confirmed_count"], waiting_count=counts["waiting_count"]
        )

    def for_registration(self) -> "EventQuerySet":
        """With the places taken, and `has_sessions`: the registration forms ask for the
        sessions (with their places taken) only when there are any, which most events have
        not. Not the waiting list's count (`with_counts`): no registration page shows it, and
        building that subquery costs more CPU than running it (a registration fetches its
        event on the form, the POST and the personal page)."""
        counts = _counts_per_event()
        return self.annotate(
            confirmed_count=counts["confirmed_count"], has_sessions=counts["has_sessions"]
        )

    def next_featured(self) -> "Event | None":
        """The flagship event for the home page: the soonest published, coming featured one."""
        return self.published().upcoming().filter(featured=True).with_counts().first()

    def for_cards(self) -> "EventQuerySet":
        return self.with_counts().prefetch_related(
            Prefetch(
                "organisers",
                queryset=Organisation.objects.published().order_by("name"),
                to_attr="public_organisers",
            ),
            prefetch_themes(),
        )


class Event(CoverImage, Publishable):
    class Access(models.TextChoices):
        OPEN = "open", _("Open voor iedereen")
        INVITATION = "uitnodiging", _("Alleen op uitnodiging")
        CLOSED = "besloten", _("Besloten groep (met groepscode)")

    class Kind(models.TextChoices):
        CONGRESS = "congres", _("Congres")
        CONFERENCE = "conferentie", _("Conferentie")
        CLOSING_CONFERENCE = "slotconferentie", _("Slotconferentie")
        MEETING = "bijeenkomst", _("Bijeenkomst")
        WEBINAR = "webinar", _("Webinar")
        CIRCLE_MEETING = "leerkring-bijeenkomst", _("Leerkringbijeenkomst")

    title = models.CharField(_("titel"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices, default=Kind.MEETING)
    summary = models.TextField(
        _("samenvatting"), help_text=_("Twee tot vier zinnen; staat op kaarten.")
    )
    programme = models.TextField(
        _("programma"),
        blank=True,
        help_text=_(
            "Markdown: ## tussenkop, - opsomming, **vet**. Tijden en onderdelen van de dag."
        ),
    )
    starts_at = models.DateTimeField(_("begint op"), db_index=True)
    ends_at = models.DateTimeField(_("eindigt op"), db_index=True)
    venue_name = models.CharField(_("locatie"), max_length=200, blank=True)
    venue_address = models.CharField(
        _("adres"), max_length=300, blank=True, help_text=_("Straat, huisnummer, plaats.")
    )
    online = models.BooleanField(
        _("online"),
        default=False,
        help_text=_(
            "Aan: deelnemers volgen het (ook) online. Met een locatie erbij is het hybride."
        ),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_(
            "Voor webinars en hybride bijeenkomsten; deelnemers krijgen hem in hun bevestiging."
        ),
    )
    organisers = models.ManyToManyField(
        Organisation, blank=True, related_name="organised_events", verbose_name=_("organisatoren")
    )
    speakers = models.ManyToManyField(
        Person, blank=True, related_name="speaker_at", verbose_name=_("sprekers")
    )
    themes = themes_field()
    learning_circle = models.ForeignKey(
        "learning_circles.LearningCircle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("leerkring"),
    )
    publications = models.ManyToManyField(
        "publications.Publication",
        blank=True,
        related_name="events",
        verbose_name=_("verwante publicaties"),
    )
    featured = models.BooleanField(
        _("uitgelicht"),
        default=False,
        help_text=_("Aan: het eerstvolgende uitgelichte evenement staat op de voorpagina."),
    )
    registration_required = models.BooleanField(_("aanmelden verplicht"), default=True)
    capacity = models.PositiveIntegerField(
        _("aantal plaatsen"),
        null=True,
        blank=True,
        help_text=_("Leeg: onbeperkt. Wie zich aanmeldt als alles vol is, komt op de wachtlijst."),
    )
    registration_opens_at = models.DateTimeField(
        _("aanmelden opent op"), null=True, blank=True, help_text=_("Leeg: direct na publicatie.")
    )
    registration_closes_at = models.DateTimeField(
        _("aanmelden sluit op"), null=True, blank=True, help_text=_("Leeg: bij de start.")
    )
    access = models.CharField(
        _("toegang"),
        max_length=20,
        choices=Access.choices,
        default=Access.OPEN,
        help_text=_(
            "Open voor iedereen: wie wil, meldt zich aan. Op uitnodiging: alleen met een "
            "persoonlijke uitnodigingslink of de groepscode. Besloten groep: alleen met de "
            "groepscode."
        ),
    )
    group_code = models.CharField(
        _("groepscode"),
        max_length=40,
        blank=True,
        help_text=_(
            "Een code die u deelt met één team of organisatie; wie hem invult, kan zich "
            "aanmelden. Leeg: geen groepscode."
        ),
    )
    confirm_email = models.BooleanField(
        _("e-mailadres laten bevestigen"),
        default=False,
        help_text=_(
            "Aan: een aanmelding telt pas als de link in de e-mail is aangeklikt; de plaats wordt "
            "zolang kort vastgehouden. Zet dit aan als er verdacht veel aanmeldingen binnenkomen."
        ),
    )
    # When editors were last told that registrations came in at an unusual rate (at most once
    # an hour per event: events/abuse.py).
    registration_alert_at = models.DateTimeField(
        _("laatste waarschuwing over aanmeldingen"), null=True, blank=True, editable=False
    )
    dial_in = models.CharField(
        _("inbelnummer"),
        max_length=100,
        blank=True,
        help_text=_("Alleen bevestigde deelnemers zien dit, net als de online link."),
    )
    access_code = models.CharField(
        _("toegangscode"),
        max_length=100,
        blank=True,
        help_text=_("Code of wachtwoord voor de online bijeenkomst; alleen voor deelnemers."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("herinnering (dagen vooraf)"),
        null=True,
        blank=True,
        default=2,
        help_text=_(
            "Zoveel dagen voor de start krijgen bevestigde deelnemers een herinnering; wie op "
            "de wachtlijst staat, krijgt een kort bericht. Leeg: geen herinnering."
        ),
    )
    followup_message = models.TextField(
        _("bericht na afloop"),
        blank=True,
        help_text=_(
            "Markdown. Gaat naar de aanwezigen, met de opname, het materiaal, verwante "
            "publicaties, de evaluatie en het bewijs van deelname."
        ),
    )
    followup_send_at = models.DateTimeField(
        _("bericht na afloop versturen op"),
        null=True,
        blank=True,
        help_text=_("Leeg: nog niet versturen. Het bericht gaat eenmaal naar iedere deelnemer."),
    )
    evaluation_closes_at = models.DateTimeField(
        _("evaluatie sluit op"),
        null=True,
        blank=True,
        help_text=_("Tot dan kunnen deelnemers hun evaluatie invullen en wijzigen."),
    )
    hours = models.DecimalField(
        _("studie-uren"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Op het bewijs van deelname. Leeg: de duur van het evenement."),
    )
    recording_url = models.URLField(_("opname"), blank=True, help_text=_("Na afloop."))
    materials = models.TextField(
        _("materiaal"),
        blank=True,
        help_text=_("Na afloop: presentaties, verslag, links (Markdown)."),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("evenement")
        verbose_name_plural = _("evenementen")
        ordering = ["-starts_at", "title"]
        constraints = [
            published_constraint("event"),
            *image_constraints(),
            models.CheckConstraint(
                condition=~Q(slug__in=sorted(RESERVED_SLUGS)),
                name="event_slug_not_reserved",
                violation_error_message=_("Deze slug is gereserveerd voor een vaste pagina."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("Het evenement eindigt vóór het begint."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
                violation_error_message=_(
                    "Het aantal plaatsen is minstens 1, of leeg voor onbeperkt."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(access="besloten") | ~Q(group_code=""),
                name="event_closed_has_group_code",
                violation_error_message=_(
                    "Een besloten groep heeft een groepscode nodig: zonder code kan niemand zich "
                    "aanmelden."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0),
                name="event_hours_positive",
                violation_error_message=_("Het aantal studie-uren is groter dan 0, of leeg."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_opening",
                violation_error_message=_("Aanmelden sluit vóór het opent."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_url("events:detail", self.slug)

    def clean(self) -> None:
        super().clean()
        if not (self.venue_name or self.is_online):
            raise ValidationError(_("Geef een locatie op of zet 'online' aan (of allebei)."))
        if self.followup_send_at and self.ends_at and self.followup_send_at < self.ends_at:
            raise ValidationError(
                {
                    "followup_send_at": _(
                        "Het bericht na afloop gaat pas na het einde van het evenement: kies een "
                        "moment na het einde."
                    )
                }
            )

    @property
    def is_online(self) -> bool:
        """Followed online: the `online` field, or a join link (set before the field existed)."""
        return self.online or bool(self.online_url)

    @property
    def is_in_person(self) -> bool:
        return bool(self.venue_name or self.venue_address)

    def location_text(self) -> str:
        """Where, in words: "venue, address", "venue, address en online", or "Online"."""
        place = ", ".join(part for part in (self.venue_name, self.venue_address) if part)
        online = self.is_online
        if place and online:
            return str(_("%(place)s en online") % {"place": place})
        return place or (str(_("Online")) if online else "")

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def waiting_list_closes_at(self) -> datetime.datetime:
        """From then on nobody moves up from the waiting list by themselves: too late to plan
        for (WAITING_LIST_CUTOFF_HOURS before the start). Editors can still promote by hand."""
        return self.starts_at - datetime.timedelta(hours=settings.WAITING_LIST_CUTOFF_HOURS)

    def waiting_list_closed(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.waiting_list_closes_at

    @property
    def is_multi_day(self) -> bool:
        return timezone.localtime(self.starts_at).date() != timezone.localtime(self.ends_at).date()

    @property
    def closes_at(self):
        return self.registration_closes_at or self.starts_at

    @property
    def open_to_all(self) -> bool:
        return self.access == self.Access.OPEN

    @property
    def public_form_usable(self) -> bool:
        """Whether the registration form can work without a personal invitation: open, or
        with the group code."""
        return self.open_to_all or bool(self.group_code)

    @property
    def evaluation_deadline(self) -> datetime.datetime:
        """Until when attendees fill in or change their evaluation: the one rule."""
        return self.evaluation_closes_at or self.ends_at + datetime.timedelta(
            days=EVALUATION_OPEN_DAYS
        )

    def evaluation_is_open(self, now=None) -> bool:
        """From the start (some fill it in on the way home) until the deadline."""
        now = now or timezone.now()
        return self.starts_at <= now < self.evaluation_deadline

    @property
    def study_hours(self) -> Decimal:
        """For the certificate: the hours set, else the duration rounded to half an hour."""
        if self.hours is not None:
            return self.hours
        half_hours = Decimal((self.ends_at - self.starts_at).total_seconds()) / 1800
        return half_hours.quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2

    def confirmed_places(self) -> int:
        page_cache.shows(places_scope(self.pk))
        if hasattr(self, "confirmed_count"):
            return self.confirmed_count
        return self.registrations.holding_places().count()

    def places_left(self) -> int | None:
        """None when the number of places is unlimited."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.confirmed_places())

    def registration_state(self, now=None) -> str:
        now = now or timezone.now()
        if self.ends_at < now:
            return RegistrationState.PAST
        if not self.registration_required:
            return RegistrationState.NOT_REQUIRED
        if self.registration_opens_at and now < self.registration_opens_at:
            return RegistrationState.NOT_YET_OPEN
        if now >= self.closes_at:
            return RegistrationState.CLOSED
        if self.places_left() == 0:
            # A waiting list nobody moves up from any more is no way in.
            if self.waiting_list_closed(now):
                return RegistrationState.CLOSED
            return RegistrationState.FULL
        return RegistrationState.OPEN


@functools.cache
def _confirmed_per_session() -> Coalesce:
    """Built once per process, for the reason `_counts_per_event` gives."""
    return places_taken_per_row("sessions")


class SessionQuerySet(models.QuerySet):
    def annotate_confirmed(self) -> "SessionQuerySet":
        return self.annotate(confirmed_count=_confirmed_per_session())


class Session(models.Model):
    """A parallel session (workshop) inside an event, with its own capacity."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("evenement")
    )
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("omschrijving"), blank=True)
    slot = models.PositiveSmallIntegerField(
        _("ronde"),
        default=1,
        help_text=_(
            "Sessies in dezelfde ronde lopen tegelijk; een deelnemer kiest er één per ronde."
        ),
    )
    starts_at = models.DateTimeField(_("begint op"), null=True, blank=True)
    ends_at = models.DateTimeField(_("eindigt op"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("aantal plaatsen"), null=True, blank=True, help_text=_("Leeg: onbeperkt.")
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        ordering = ["slot", "starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="session_capacity_positive",
                violation_error_message=_(
                    "Het aantal plaatsen is minstens 1, of leeg voor onbeperkt."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({_('ronde')} {self.slot})"

    def confirmed_places(self) -> int:
        page_cache.shows(places_scope(self.event_id))
        if hasattr(self, "confirmed_count"):
            return self.confirmed_count
        return self.registrations.holding_places().count()

    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.confirmed_places())


def new_token() -> str:
    return secrets.token_urlsafe(24)


# Check-in codes: read aloud, typed by hand or by a scanner. No 0/O, 1/I/L or U/V pairs that
# people confuse; six of these 29 characters give some 600 million codes per event.
CHECKIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CHECKIN_CODE_LENGTH = 6


def new_checkin_code() -> str:
    """A random code; `services.register` picks one not yet used in the event (under the event
    lock), and the database constraint holds the rule as well."""
    return "".join(secrets.choice(CHECKIN_CODE_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


def normalise_checkin_code(text: str) -> str:
    """What was typed or scanned, as stored: capitals, without spaces or dashes."""
    return "".join(character for character in text.upper() if character.isalnum())


class RegistrationQuerySet(models.QuerySet):
    def taking_places(self) -> "RegistrationQuerySet":
        """The registrations with a confirmed place: the attendees (mails to them, the door,
        certificates). Capacity counts `holding_places`, these and unexpired holds."""
        return self.filter(status=Registration.Status.CONFIRMED)

    def holding_places(self) -> "RegistrationQuerySet":
        """What capacity counts: the confirmed places, and the places held for registrants
        who have not clicked the link in the mail yet (Event.confirm_email) until their hold
        expires. Compared with the database's clock, so a count under the event lock and the
        lists agree."""
        return self.filter(
            Q(status=Registration.Status.CONFIRMED)
            | Q(status=Registration.Status.UNVERIFIED, hold_until__gt=Now())
        )

    def waiting(self) -> "RegistrationQuerySet":
        return self.filter(status=Registration.Status.WAITING)

    def active(self) -> "RegistrationQuerySet":
        """Confirmed or waiting: the person still counts on coming."""
        return self.filter(status__in=Registration.ACTIVE_STATUSES)

    def waiting_in_order(self) -> "RegistrationQuerySet":
        return self.waiting().order_by("created", "id")


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Bevestigd")
        WAITING = "waiting", _("Wachtlijst")
        CANCELLED = "cancelled", _("Geannuleerd")
        # The event asks to confirm the e-mail address first: the link in the mail was not
        # clicked yet. With `hold_until` set, a place is held until then.
        UNVERIFIED = "unverified", _("E-mailadres nog niet bevestigd")

    ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITING)
    # One address per event among these (the constraint below): an unverified registration
    # keeps its address from being used twice, too.
    ADDRESS_TAKEN_STATUSES = (*ACTIVE_STATUSES, Status.UNVERIFIED)

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("evenement")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # The only key to the registrant's own page: random, unique, never shown to others.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # Printed on the confirmation (and in its QR code) for the door: not a secret, it only
    # identifies the registration to the staff at the entrance, never opens the personal page.
    checkin_code = models.CharField(
        _("aanmeldcode"), max_length=CHECKIN_CODE_LENGTH, default=new_checkin_code, editable=False
    )
    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"))
    organisation = models.CharField(_("organisatie"), max_length=200)
    job_title = models.CharField(_("functie"), max_length=200, blank=True)
    needs = models.TextField(
        _("toegankelijkheid of dieetwensen"),
        blank=True,
        max_length=1000,
        help_text=_("Wordt na afloop van het evenement verwijderd."),
    )
    sessions = models.ManyToManyField(
        Session, blank=True, related_name="registrations", verbose_name=_("sessies")
    )
    consent_at = models.DateTimeField(_("toestemming gegeven op"))
    created = models.DateTimeField(_("aangemeld op"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("aanwezig gemeld op"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanwezig gemeld door"),
    )
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    # Unverified registrations only: the place is held for this registrant until then.
    hold_until = models.DateTimeField(_("plaats vastgehouden tot"), null=True, blank=True)
    # Each scheduled mail is queued once per registration: the job sets the moment in the same
    # transaction as the outbox row, and only where it is still empty (events/reminders.py).
    reminder_queued_at = models.DateTimeField(_("herinnering klaargezet op"), null=True, blank=True)
    waiting_closed_queued_at = models.DateTimeField(
        _("bericht einde wachtlijst klaargezet op"), null=True, blank=True
    )
    followup_queued_at = models.DateTimeField(
        _("bericht na afloop klaargezet op"), null=True, blank=True
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=Q(status__in=["confirmed", "waiting", "unverified"]),
                name="registration_one_active_per_email",
                violation_error_message=_(
                    "Met dit e-mailadres is al iemand aangemeld voor dit evenement."
                ),
            ),
            models.UniqueConstraint(
                fields=["event", "checkin_code"], name="registration_checkin_code_per_event"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created"])]
        permissions = [("check_in_registration", _("Mag deelnemers bij de ingang aanmelden"))]

    def __str__(self) -> str:
        return f"{self.name} — {self.event} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("registrations:detail", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def can_evaluate(self, now=None) -> bool:
        """Only someone with a confirmed place evaluates, while the evaluation is open."""
        return (
            self.status == self.Status.CONFIRMED
            and self.anonymised_at is None
            and self.event.evaluation_is_open(now)
        )

    @property
    def has_certificate(self) -> bool:
        """A certificate of attendance is for those checked in at the door."""
        return (
            self.status == self.Status.CONFIRMED
            and self.checked_in_at is not None
            and self.anonymised_at is None
        )

    @property
    def was_promoted(self) -> bool:
        """Confirmed later than registered: moved up from the waiting list (whoever gets a
        place at once is confirmed in the moment before the row is created)."""
        return (
            self.status == self.Status.CONFIRMED
            and self.confirmed_at is not None
            and self.confirmed_at > self.created
        )

    def waiting_position(self) -> int | None:
        """1 for the first on the waiting list."""
        if self.status != self.Status.WAITING:
            return None
        earlier = (
            Registration.objects.waiting()
            .filter(event_id=self.event_id)
            .filter(Q(created__lt=self.created) | Q(created=self.created, id__lt=self.id))
        )
        return earlier.count() + 1


class InvitationQuerySet(models.QuerySet):
    def expired(self, now=None) -> "InvitationQuerySet":
        """Still unanswered when registration closed: no longer usable (no job marks them)."""
        return self.filter(state=Invitation.State.SENT).filter(_registration_closed(now))

    def usable(self, now=None) -> "InvitationQuerySet":
        return self.filter(state=Invitation.State.SENT).exclude(_registration_closed(now))


def _registration_closed(now=None) -> Q:
    """Invitations whose event no longer takes registrations (as `Event.closes_at`)."""
    now = now or timezone.now()
    return Q(event__registration_closes_at__lte=now) | Q(
        event__registration_closes_at__isnull=True, event__starts_at__lte=now
    )


class Invitation(models.Model):
    """A personal invitation to an invitation-only event: one address, one link, used once."""

    class State(models.TextChoices):
        SENT = "sent", _("Verstuurd")
        REGISTERED = "registered", _("Aangemeld")
        DECLINED = "declined", _("Afgeslagen")
        EXPIRED = "expired", _("Verlopen")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("evenement")
    )
    email = models.EmailField(_("e-mailadres"))
    # The key in the invitation link: random, unique, never shown to others.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.SENT)
    registration = models.OneToOneField(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("aanmelding"),
    )
    created = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["event", "created", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "event",
                name="invitation_one_per_email",
                violation_error_message=_("Dit adres is al uitgenodigd voor dit evenement."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.event}"

    @property
    def effective_state(self) -> str:
        """The state as the invitee meets it: still SENT once registration closed is EXPIRED."""
        if self.state == self.State.SENT and timezone.now() >= self.event.closes_at:
            return self.State.EXPIRED
        return self.state

    def get_effective_state_display(self) -> str:
        return self.State(self.effective_state).label


class Evaluation(models.Model):
    """One registrant's evaluation of an event: no personal data of its own, so it stays when
    the registration is anonymised."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("evenement")
    )
    registration = models.OneToOneField(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation",
        verbose_name=_("aanmelding"),
    )
    rating = models.PositiveSmallIntegerField(
        _("waardering"), help_text=_("1 (slecht) tot en met 5 (uitstekend).")
    )
    takeaway = models.TextField(_("wat neemt u mee naar uw werk?"), blank=True, max_length=2000)
    remarks = models.TextField(_("opmerkingen"), blank=True, max_length=2000)
    created = models.DateTimeField(_("ingevuld op"), default=timezone.now)
    updated = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["event", "created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="evaluation_rating_1_to_5",
                violation_error_message=_("Kies een waardering van 1 tot en met 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} — {self.rating}"
