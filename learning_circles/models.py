"""Learning circles (leerkringen): organisations learning together on one question of the craft."""

from django.db import models
from django.db.models import Case, F, Prefetch, Q, Value, When
from django.db.models.functions import Lower
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
from network.models import Organisation


class Phase(models.TextChoices):
    PREPARING = "voorbereiding", _("In voorbereiding")
    RUNNING = "lopend", _("Lopend")
    FINISHED = "afgerond", _("Afgerond")


class LearningCircleQuerySet(PublishableQuerySet):
    def with_phase(self) -> "LearningCircleQuerySet":
        """Annotate `current_phase`: the editor's choice, else derived from the dates."""
        today = timezone.localdate()
        return self.annotate(
            current_phase=Case(
                When(~Q(phase_override=""), then=F("phase_override")),
                When(start_date__gt=today, then=Value(Phase.PREPARING.value)),
                When(start_date__isnull=True, then=Value(Phase.PREPARING.value)),
                When(end_date__lt=today, then=Value(Phase.FINISHED.value)),
                default=Value(Phase.RUNNING.value),
                output_field=models.CharField(),
            )
        )

    def for_cards(self) -> "LearningCircleQuerySet":
        return self.with_phase().prefetch_related(
            Prefetch(
                "participations",
                # Only organisations the public may see are named on a circle.
                queryset=Participation.objects.filter(
                    organisation__in=Organisation.objects.published()
                )
                .select_related("organisation")
                .order_by("role_order", "organisation__name"),
                to_attr="ordered_participations",
            ),
            prefetch_themes(),
        )


class LearningCircle(Publishable):
    title = models.CharField(_("titel"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(
        _("samenvatting"), help_text=_("Twee tot vier zinnen; staat op kaarten en bovenaan.")
    )
    description = models.TextField(
        _("beschrijving"),
        blank=True,
        help_text=_("Markdown mag: **vet**, *cursief*, ## tussenkop, - opsomming. Geen HTML."),
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    phase_override = models.CharField(
        _("fase (handmatig)"),
        max_length=20,
        choices=Phase.choices,
        blank=True,
        help_text=_("Leeg laten: de fase volgt uit de start- en einddatum."),
    )
    accepts_join_requests = models.BooleanField(
        _("aanmelden mogelijk"),
        default=True,
        help_text=_("Toont het formulier waarmee organisaties belangstelling kunnen melden."),
    )
    themes = themes_field()
    outcome_publications = models.ManyToManyField(
        "publications.Publication",
        blank=True,
        related_name="learning_circles",
        verbose_name=_("opbrengsten: publicaties"),
        help_text=_("Bijvoorbeeld het essay met de resultaten."),
    )

    objects = LearningCircleQuerySet.as_manager()

    class Meta:
        verbose_name = _("leerkring")
        verbose_name_plural = _("leerkringen")
        ordering = [F("start_date").desc(nulls_last=True), "title"]
        constraints = [
            published_constraint("learning_circle"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="learning_circle_ends_after_start",
                violation_error_message=_("De einddatum ligt vóór de startdatum."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_url("learning_circles:detail", self.slug)

    @property
    def phase(self) -> str:
        if hasattr(self, "current_phase"):
            return self.current_phase
        if self.phase_override:
            return self.phase_override
        today = timezone.localdate()
        if self.start_date is None or self.start_date > today:
            return Phase.PREPARING
        if self.end_date and self.end_date < today:
            return Phase.FINISHED
        return Phase.RUNNING

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label

    @property
    def is_open_for_joining(self) -> bool:
        return self.accepts_join_requests and self.phase != Phase.FINISHED

    @property
    def lead(self):
        """The trekker: the organisation that leads the circle."""
        participations = getattr(self, "ordered_participations", None)
        if participations is None:
            participations = self.participations.select_related("organisation")
        return next(
            (p.organisation for p in participations if p.role == Participation.Role.LEAD), None
        )


class ResearchQuestion(models.Model):
    circle = models.ForeignKey(
        LearningCircle,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("leerkring"),
    )
    text = models.TextField(_("vraag"))
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("onderzoeksvraag")
        verbose_name_plural = _("onderzoeksvragen")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Participation(models.Model):
    class Role(models.TextChoices):
        LEAD = "trekker", _("Trekker")
        PARTICIPANT = "deelnemer", _("Deelnemer")
        PARTNER = "partner", _("Partner")

    # Protected: the participation table and the organisations' pages report them; a circle
    # goes only after an editor has removed its participations on purpose.
    circle = models.ForeignKey(
        LearningCircle,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("leerkring"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="circle_participations",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    # Lead first, then participants, then partners: stored so lists sort in the database.
    role_order = models.PositiveSmallIntegerField(editable=False, default=1)
    since = models.DateField(_("doet mee sinds"), null=True, blank=True)

    class Meta:
        verbose_name = _("deelnemende organisatie")
        verbose_name_plural = _("deelnemende organisaties")
        ordering = ["role_order", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "organisation"], name="participation_once_per_circle"
            ),
            models.UniqueConstraint(
                fields=["circle"],
                condition=Q(role="trekker"),
                name="participation_one_lead_per_circle",
                violation_error_message=_("Een leerkring heeft één trekker."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"

    def save(self, *args, **kwargs) -> None:
        self.role_order = list(self.Role.values).index(self.role)
        super().save(*args, **kwargs)


class Contact(models.Model):
    class Role(models.TextChoices):
        PORTFOLIO_HOLDER = "portefeuillehouder", _("Portefeuillehouder")
        RESEARCHER = "onderzoeker", _("Onderzoeker")
        COORDINATOR = "coordinator", _("Coördinator")
        CONTACT = "contactpersoon", _("Contactpersoon")

    circle = models.ForeignKey(
        LearningCircle,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("leerkring"),
    )
    person = models.ForeignKey(
        "network.Person",
        on_delete=models.PROTECT,
        related_name="circle_contacts",
        verbose_name=_("persoon"),
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices, default=Role.CONTACT)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "person", "role"], name="contact_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class Meeting(models.Model):
    circle = models.ForeignKey(
        LearningCircle,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("leerkring"),
    )
    title = models.CharField(_("titel"), max_length=300)
    starts_at = models.DateTimeField(_("begint op"))
    location = models.CharField(
        _("plaats"), max_length=300, blank=True, help_text=_("Leeg bij een online bijeenkomst.")
    )
    online_url = models.URLField(_("online link"), blank=True)
    summary = models.TextField(
        _("verslag"), blank=True, help_text=_("Na afloop: wat er besproken is en wat eruit kwam.")
    )

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d-%m-%Y})"

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.location


class JoinRequest(models.Model):
    """Interest in joining a circle, for editors to follow up. Personal data: kept short."""

    class Status(models.TextChoices):
        NEW = "nieuw", _("Nieuw")
        CONTACTED = "benaderd", _("Contact opgenomen")
        ACCEPTED = "toegelaten", _("Doet mee")
        DECLINED = "afgewezen", _("Afgewezen")

    # Protected: a request someone sent is answered (or removed) by an editor, never lost
    # together with the circle.
    circle = models.ForeignKey(
        LearningCircle,
        on_delete=models.PROTECT,
        related_name="join_requests",
        verbose_name=_("leerkring"),
    )
    organisation_name = models.CharField(_("organisatie"), max_length=200)
    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"))
    motivation = models.TextField(_("motivatie"), max_length=3000)
    consent_at = models.DateTimeField(_("toestemming gegeven op"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    notes = models.TextField(_("notities van de redactie"), blank=True)
    created = models.DateTimeField(_("ontvangen"), auto_now_add=True)

    class Meta:
        verbose_name = _("aanmelding voor een leerkring")
        verbose_name_plural = _("aanmeldingen voor leerkringen")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "circle",
                condition=Q(status__in=["nieuw", "benaderd"]),
                name="join_request_one_open_per_email",
                violation_error_message=_(
                    "Met dit e-mailadres is al belangstelling gemeld voor deze leerkring."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_name}) — {self.circle}"
