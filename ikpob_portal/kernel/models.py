"""What every app shares: the theme taxonomy and the publishing rule."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import GenericTaggedItemBase, TagBase

from ikpob_portal.kernel.reversing import detail_url


class Theme(TagBase):
    """One term of the shared vocabulary; django-taggit's tag model for every app."""

    description = models.TextField(
        _("omschrijving"),
        blank=True,
        help_text=_("Een paar zinnen over het thema; staat bovenaan de themapagina."),
    )
    synonyms = models.TextField(
        _("synoniemen"),
        blank=True,
        help_text=_(
            "Andere woorden waarmee bezoekers dit thema zoeken, gescheiden door komma's "
            "(bijvoorbeeld: ambtelijk vakmanschap, professionaliteit). Wie op zo'n woord "
            "zoekt, vindt alles met dit thema."
        ),
    )

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="theme_name_case_insensitive_unique",
                violation_error_message=_(
                    "Er bestaat al een thema met deze naam (hoofdletters tellen niet mee)."
                ),
            ),
        ]

    def get_absolute_url(self) -> str:
        return detail_url("themes:detail", self.slug)


class ThemedItem(GenericTaggedItemBase):
    """Links a theme to any object of any app (generic through model)."""

    tag = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="themed_items", verbose_name=_("thema")
    )

    class Meta:
        verbose_name = _("themakoppeling")
        verbose_name_plural = _("themakoppelingen")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "tag"], name="themed_item_unique"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class ThemeRedirect(models.Model):
    """Keeps the URL of a merged theme working: the old slug points to the surviving theme."""

    old_slug = models.SlugField(_("oude slug"), max_length=100, unique=True, allow_unicode=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("thema")
    )
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("doorverwijzing van thema")
        verbose_name_plural = _("doorverwijzingen van thema's")
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.theme.slug}"


def themes_field() -> TaggableManager:
    """The `themes` field every themed model declares, on the one shared vocabulary."""
    return TaggableManager(
        through=ThemedItem,
        blank=True,
        verbose_name=_("thema's"),
        help_text=_("Kies een of meer thema's uit de vaste lijst."),
    )


class PublishableQuerySet(models.QuerySet):
    def published(self) -> "PublishableQuerySet":
        """The one definition of 'visible to the public'."""
        return self.filter(status=Publishable.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user) -> "PublishableQuerySet":
        """Published items, plus drafts for editors who may view this model (preview) and whose
        session passed the second factor where one is required."""
        # Imported here: that module pulls in the admin and django-otp's models.
        from ikpob_portal.kernel import second_factor

        opts = self.model._meta
        if (
            user.is_staff
            and second_factor.passed(user)
            and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        ):
            return self.all()
        return self.published()


class Publishable(models.Model):
    """Abstract base for public content: draft or published from a moment on."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        PUBLISHED = "published", _("Gepubliceerd")

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Alleen gepubliceerde items zijn zichtbaar voor bezoekers."),
    )
    published_at = models.DateTimeField(
        _("publiceren vanaf"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Vanaf dit moment is het item openbaar. Leeg bij publiceren betekent: nu. "
            "Een datum in de toekomst plant de publicatie in."
        ),
    )
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._fill_publish_moment()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self._fill_publish_moment()

    def _fill_publish_moment(self) -> None:
        """Publishing without a moment means: now (forms validate before save, hence both)."""
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def theme_list(self) -> list[Theme]:
        """Themes of this item, from `prefetch_themes()` when the view used it."""
        prefetched = getattr(self, "prefetched_themed_items", None)
        if prefetched is None:
            prefetched = ThemedItem.objects.filter(
                content_type__app_label=self._meta.app_label,
                content_type__model=self._meta.model_name,
                object_id=self.pk,
            ).select_related("tag")
        return sorted((item.tag for item in prefetched), key=lambda theme: theme.name.lower())


def prefetch_themes() -> models.Prefetch:
    """One query for the themes of a whole page of items (taggit's own prefetch is slow)."""
    return models.Prefetch(
        "tagged_items",
        queryset=ThemedItem.objects.select_related("tag"),
        to_attr="prefetched_themed_items",
    )


def published_constraint(prefix: str) -> models.CheckConstraint:
    """A published item always has a publish moment (the database holds the rule too)."""
    return models.CheckConstraint(
        condition=~models.Q(status=Publishable.Status.PUBLISHED)
        | models.Q(published_at__isnull=False),
        name=f"{prefix}_published_has_date",
    )


class SearchEntry(models.Model):
    """One searchable item of any registered kind: the site-wide search index.

    Rows are written by `ikpob_portal.kernel.search.index()` on every save. Whether a row may be
    shown is NOT stored here: searches join back to each kind's `.published()` queryset, so
    the publishing rule stays defined once.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=400)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)  # plain text: body, names of authors and organisations
    words = models.TextField(blank=True)  # title, summary and names: for typo and compound matching
    themes = models.TextField(blank=True)  # names and synonyms of the item's themes
    url = models.CharField(max_length=400)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("zoekindex-item")
        verbose_name_plural = _("zoekindex")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="search_entry_one_per_object"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SearchWord(models.Model):
    """The index's own vocabulary: every word that occurs in an index row, with its stem.

    Search splits a compound against it ("burgerparticipatie": burger + participatie) and
    corrects a typo to the nearest word in it ("vakmanshap": vakmanschap). Words are added as
    rows are indexed; `rebuild_search_index` starts the list afresh (a word of a deleted item
    stays until then, and at worst suggests a word that finds nothing).
    """

    word = models.CharField(max_length=60, unique=True)
    stem = models.CharField(max_length=60, db_index=True)

    class Meta:
        verbose_name = _("zoekwoord")
        verbose_name_plural = _("zoekwoorden")

    def __str__(self) -> str:
        return self.word


class ZeroResultSearch(models.Model):
    """Searches that found nothing, counted, so editors see what people miss. No personal data."""

    query = models.CharField(_("zoekvraag"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("aantal keer"), default=0)
    first_seen = models.DateTimeField(_("eerst gezien"), auto_now_add=True)
    last_seen = models.DateTimeField(_("laatst gezien"), auto_now=True)

    class Meta:
        verbose_name = _("zoekvraag zonder resultaten")
        verbose_name_plural = _("zoekvragen zonder resultaten")
        ordering = ["-count", "-last_seen"]

    def __str__(self) -> str:
        return self.query


class OutgoingMail(models.Model):
    """One mail waiting to be sent (or sent): the outbox every app writes to.

    A row names what the mail is about, never whom it goes to: `kind` picks the sender an app
    registered (`ikpob_portal.kernel.outbox`), which renders the mail from the object at send
    time. So the outbox holds no personal data, and a registration anonymised in the meantime
    gets no mail. `data` carries what the object does not (an editor's subject and text).
    """

    class Outcome(models.TextChoices):
        PENDING = "", _("nog te versturen")
        SENT = "sent", _("verstuurd")
        SKIPPED = "skipped", _("niet nodig")  # object gone, anonymised or changed meanwhile
        SUPERSEDED = "superseded", _("vervangen door een latere e-mail")
        # Could not be delivered and is not tried again: see `failure` (kernel/outbox.py).
        PARKED = "parked", _("niet te bezorgen")

    class Failure(models.TextChoices):
        NONE = "", _("geen")
        REFUSED = "refused", _("geweigerd door de mailserver")
        UNUSABLE = "unusable", _("onbruikbaar adres")
        GAVE_UP = "gave-up", _("opgegeven na herhaalde tijdelijke fouten")

    kind = models.CharField(_("soort"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object-id"))
    data = models.JSONField(_("gegevens"), default=dict, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    done_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=Outcome.choices, default="", blank=True
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    # The exception's class only: an SMTP error message can quote addresses.
    last_error = models.CharField(_("laatste fout"), max_length=200, blank=True)
    # Why a parked mail could not be delivered; the detail (class and SMTP code) in last_error.
    failure = models.CharField(
        _("reden"), max_length=20, choices=Failure.choices, default="", blank=True
    )

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(done_at__isnull=True),
                name="outgoing_mail_pending",
            ),
            models.Index(fields=["kind", "object_id"], name="outgoing_mail_about"),
            # The admin dashboard counts these on every visit.
            models.Index(
                fields=["created_at"],
                condition=models.Q(outcome="parked"),
                name="outgoing_mail_parked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"


SITE_SETTINGS_CACHE_KEY = "kernel:site-settings"


class SiteSettings(models.Model):
    """Settings editors change in the admin: one row (pk 1), read through `current()`.

    Keep it small: a switch or a value the whole site shares, not content.
    """

    review_before_publishing = models.BooleanField(
        _("publiceren na beoordeling (vier-ogenprincipe)"),
        default=False,
        help_text=_(
            "Aan: redacteuren bieden een item ter beoordeling aan; alleen de hoofdredactie "
            "publiceert het of stuurt het terug met een opmerking."
        ),
    )

    class Meta:
        verbose_name = _("site-instellingen")
        verbose_name_plural = _("site-instellingen")

    def __str__(self) -> str:
        return str(_("Site-instellingen"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # there is one row
        super().save(*args, **kwargs)
        # Now and after the commit: a read in between may have put the old row back.
        cache.delete(SITE_SETTINGS_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(SITE_SETTINGS_CACHE_KEY))

    @classmethod
    def current(cls) -> "SiteSettings":
        """The settings, from the shared cache (read on every admin form; saved rarely)."""
        site_settings = cache.get(SITE_SETTINGS_CACHE_KEY)
        if site_settings is None:
            site_settings = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(SITE_SETTINGS_CACHE_KEY, site_settings, timeout=None)
        return site_settings


class ReviewRequest(models.Model):
    """An item of any publishable kind offered for review (the four-eyes step).

    At most one request per item is open; an approved or returned one stays as the record of
    who decided and why. The item itself keeps its own status: it stays a draft until a
    reviewer approves it (`ikpob_portal.kernel.review`).
    """

    class State(models.TextChoices):
        OPEN = "open", _("te beoordelen")
        APPROVED = "approved", _("goedgekeurd")
        RETURNED = "returned", _("teruggestuurd")

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("soort")
    )
    object_id = models.PositiveBigIntegerField(_("object-id"))
    item = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("titel"), max_length=400)  # as submitted; the list needs no join
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("aangeboden door"),
    )
    submitted_at = models.DateTimeField(_("aangeboden op"), default=timezone.now)
    state = models.CharField(_("stand"), max_length=20, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    remark = models.TextField(_("opmerking"), blank=True)

    class Meta:
        verbose_name = _("beoordelingsverzoek")
        verbose_name_plural = _("te beoordelen")
        ordering = ["submitted_at", "id"]
        permissions = [
            ("publish_content", _("Mag publiceren zonder beoordeling / mag beoordelen")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(state="open"),
                name="review_request_one_open_per_item",
            ),
            models.CheckConstraint(
                condition=models.Q(state="open") | models.Q(decided_at__isnull=False),
                name="review_request_decided_has_moment",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.title


class VisitCount(models.Model):
    """How often a public address was viewed (a page) or downloaded (a PDF) in one month.

    Counted by `ikpob_portal.kernel.statistics`, for editors. A row holds the month, the
    address, what was counted and how often: nothing about the visitor (no IP address, user
    agent, cookie, referrer or time of day), so no row is personal data.
    """

    class Kind(models.TextChoices):
        VIEW = "view", _("weergave")
        DOWNLOAD = "download", _("download")

    month = models.DateField(_("maand"), help_text=_("De eerste dag van de maand."))
    path = models.CharField(_("adres"), max_length=255)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    count = models.PositiveBigIntegerField(_("aantal"), default=0)

    class Meta:
        verbose_name = _("statistiek")
        verbose_name_plural = _("statistieken")
        ordering = ["-month", "-count", "path"]
        constraints = [
            # The statistics add to a row with INSERT … ON CONFLICT on exactly these columns.
            models.UniqueConstraint(fields=["month", "path", "kind"], name="visit_count_once"),
        ]
        indexes = [models.Index(fields=["path", "month"], name="visit_count_path")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.path} ({self.get_kind_display()}): {self.count}"


class SummaryStamp(models.Model):
    """How many changes the rows of one model have seen (`kernel.summaries`): a stored summary
    counts only while the stamps of the models it was counted from are still the same."""

    model = models.CharField(max_length=100, primary_key=True)  # "publications.publication"
    changes = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.model}: {self.changes}"


class Summary(models.Model):
    """Figures over every published item, kept until what they count changes (`kernel.summaries`):
    the facet counts of an unfiltered list, the number of items per theme."""

    key = models.CharField(max_length=255, primary_key=True)
    data = models.JSONField()
    # The stamps of the models it depends on when it was counted: {"app.model": changes}.
    stamps = models.JSONField()
    # When it ends by itself: a scheduled item becomes public without a save.
    valid_until = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.key
