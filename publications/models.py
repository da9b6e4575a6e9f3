import datetime
import math
import re
import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Value, When
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel import summaries
from ikpob_portal.kernel.models import (
    Publishable,
    PublishableQuerySet,
    Theme,
    ThemedItem,
    prefetch_themes,
    published_constraint,
    themes_field,
)
from ikpob_portal.kernel.reversing import detail_url
from ikpob_portal.platform.cache import per_version
from ikpob_portal.platform.images import CoverImage, image_constraints
from ikpob_portal.platform.uploads import pdf_upload_to, validate_pdf
from network.models import Organisation
from publications.validators import (
    normalise_doi,
    normalise_isbn,
    validate_doi,
    validate_isbn,
)

MONTH_NAMES = [
    _("januari"), _("februari"), _("maart"), _("april"), _("mei"), _("juni"),
    _("juli"), _("augustus"), _("september"), _("oktober"), _("november"), _("december"),
]  # fmt: skip


class PublicationQuerySet(PublishableQuerySet):
    def for_cards(self) -> "PublicationQuerySet":
        """What a publication card shows, in a fixed number of queries for any page size."""
        return self.select_related("publisher").prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("person").order_by("position"),
                to_attr="ordered_authorships",
            ),
            prefetch_themes(),
        )

    def newest_first(self) -> "PublicationQuerySet":
        return self.order_by(
            models.F("publication_year").desc(nulls_last=True),
            models.F("publication_month").desc(nulls_last=True),
            models.F("publication_day").desc(nulls_last=True),
            "-published_at",
            "title",
        )


class Publication(CoverImage, Publishable):
    class Kind(models.TextChoices):
        ESSAY = "essay", _("Essay")
        BOEK = "boek", _("Boek")
        ARTIKEL = "artikel", _("Artikel")
        RAPPORT = "rapport", _("Rapport")
        INSTRUMENT = "instrument", _("Instrument")
        CASUS = "casus", _("Casus of verhaal")
        VIDEO = "video", _("Video- of webinaropname")

    class Language(models.TextChoices):
        NL = "nl", _("Nederlands")
        EN = "en", _("Engels")
        FY = "fy", _("Fries")
        DE = "de", _("Duits")
        FR = "fr", _("Frans")

    class Licence(models.TextChoices):
        ALL_RIGHTS = "all-rights-reserved", _("Alle rechten voorbehouden")
        CC_BY = "cc-by-4.0", "CC BY 4.0"
        CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
        CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
        CC_BY_NC_ND = "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"
        CC0 = "cc0-1.0", "CC0 1.0"

    title = models.CharField(_("titel"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("Het laatste deel van het webadres; wordt uit de titel gemaakt."),
    )
    subtitle = models.CharField(_("ondertitel"), max_length=300, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.ESSAY)
    summary = models.TextField(
        _("samenvatting"),
        help_text=_("Twee tot vijf zinnen; staat op kaarten, in zoekresultaten en bovenaan."),
    )
    body = models.TextField(
        _("tekst"),
        blank=True,
        help_text=_(
            "Alinea's gescheiden door een lege regel. Markdown mag: **vet**, *cursief*, "
            "## tussenkop, - opsomming, [link](https://…). HTML wordt niet overgenomen."
        ),
    )
    publication_year = models.PositiveSmallIntegerField(
        _("jaar van verschijnen"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        db_index=True,
        help_text=_("Leeg laten als het jaar niet bekend is; dan blijven maand en dag ook leeg."),
    )
    publication_month = models.PositiveSmallIntegerField(
        _("maand"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Optioneel (1–12). Laat leeg als alleen het jaar bekend is."),
    )
    publication_day = models.PositiveSmallIntegerField(
        _("dag"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Optioneel; alleen samen met een maand."),
    )
    language = models.CharField(
        _("taal"), max_length=5, choices=Language.choices, default=Language.NL
    )
    authors = models.ManyToManyField(
        "network.Person",
        through="Authorship",
        related_name="publications",
        blank=True,
        verbose_name=_("auteurs"),
    )
    publisher = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_publications",
        verbose_name=_("uitgever"),
    )
    commissioned_by = models.ManyToManyField(
        "network.Organisation",
        blank=True,
        related_name="commissioned_publications",
        verbose_name=_("opdrachtgevers"),
        help_text=_("Organisaties die de publicatie lieten maken of financierden."),
    )
    themes = themes_field()
    pdf = models.FileField(
        _("PDF-bestand"),
        upload_to=pdf_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        help_text=_(
            "Alleen PDF. Bezoekers krijgen het bestand met de slug als naam; de bestandsnaam "
            "op uw computer wordt niet bewaard."
        ),
    )
    pdf_size = models.PositiveBigIntegerField(_("bestandsgrootte"), null=True, editable=False)
    external_url = models.URLField(
        _("externe link"),
        blank=True,
        help_text=_("Waar de publicatie elders staat, bijvoorbeeld bij de uitgever."),
    )
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True, validators=[validate_isbn])
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text=_("Zonder https://doi.org/, bijvoorbeeld 10.1234/abc.2020."),
    )
    licence = models.CharField(
        _("licentie"), max_length=30, choices=Licence.choices, default=Licence.ALL_RIGHTS
    )
    related_publications = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="related_from",
        verbose_name=_("verwante publicaties"),
        help_text=_(
            "Deze staan bovenaan bij 'Verwant'; daarna volgen publicaties met dezelfde thema's."
        ),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")
        ordering = [models.F("publication_year").desc(nulls_last=True), "title"]
        constraints = [
            published_constraint("publication"),
            *image_constraints(),
            models.CheckConstraint(
                condition=Q(publication_month__isnull=True) | Q(publication_month__range=(1, 12)),
                name="publication_month_range",
            ),
            models.CheckConstraint(
                condition=Q(publication_day__isnull=True) | Q(publication_month__isnull=False),
                name="publication_day_needs_month",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.publication_month and not self.publication_year:
            raise ValidationError(
                {"publication_month": _("Vul ook het jaar in als u een maand invult.")}
            )
        if self.publication_day and not self.publication_month:
            raise ValidationError(
                {"publication_day": _("Vul ook de maand in als u een dag invult.")}
            )
        if self.publication_day and self.publication_month and self.publication_year:
            try:
                datetime.date(self.publication_year, self.publication_month, self.publication_day)
            except ValueError:
                raise ValidationError(
                    {"publication_day": _("Deze dag bestaat niet in die maand.")}
                ) from None
        if self.isbn:
            self.isbn = normalise_isbn(self.isbn)
        if self.doi:
            self.doi = normalise_doi(self.doi)

    def save(self, *args, **kwargs) -> None:
        if self.pdf:
            try:
                self.pdf_size = self.pdf.size
            except OSError:
                self.pdf_size = None
        else:
            self.pdf_size = None
        with transaction.atomic():
            # Compared with the stored row: only what the public has seen can be withdrawn.
            was_public = (
                not self._state.adding
                and Publication.objects.published().filter(pk=self.pk).exists()
            )
            super().save(*args, **kwargs)
            if self.is_published:
                WithdrawnPublication.objects.filter(publication_pk=self.pk).delete()
            elif was_public:
                WithdrawnPublication.record(self)

    def get_absolute_url(self) -> str:
        return detail_url("publications:detail", self.slug)

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def date_display(self) -> str:
        """'2020', 'september 2020' or '22 september 2020', as precise as we know it ('' if
        the year is not known)."""
        if not self.publication_year:
            return ""
        if not self.publication_month:
            return str(self.publication_year)
        month = MONTH_NAMES[self.publication_month - 1]
        if not self.publication_day:
            return f"{month} {self.publication_year}"
        return f"{self.publication_day} {month} {self.publication_year}"

    @property
    def date_iso(self) -> str:
        """'2020', '2020-09' or '2020-09-22': valid for <time datetime>, as precise as known."""
        if not self.publication_year:
            return ""
        parts = [f"{self.publication_year:04d}"]
        if self.publication_month:
            parts.append(f"{self.publication_month:02d}")
            if self.publication_day:
                parts.append(f"{self.publication_day:02d}")
        return "-".join(parts)

    @property
    def ordered_authors(self) -> list:
        authorships = getattr(self, "ordered_authorships", None)
        if authorships is None:
            authorships = self.authorships.select_related("person").order_by("position")
        return [authorship.person for authorship in authorships]

    def creators(self) -> list:
        """Who made it: its authors in order; when no person is named, the publisher as the
        organisation behind it (APA's group author). Empty only when neither is known — then
        every citation and metadata format leaves the creator out rather than guess one.

        The one rule for `citation_author`, JSON-LD `author`, `dc:creator` (OAI-PMH, RSS),
        Atom authors, APA, BibTeX and RIS."""
        if authors := self.ordered_authors:
            return authors
        return [self.publisher] if self.publisher_id else []

    def creator_names(self, *, inverted: bool = True) -> list[str]:
        """The creators' names: people as "Steen, Martijn van der" (`inverted`, for citations)
        or "Martijn van der Steen", an organisation by its full name."""
        return [
            creator.name
            if isinstance(creator, Organisation)
            else (creator.sort_name if inverted else creator.full_name)
            for creator in self.creators()
        ]

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def has_download(self) -> bool:
        return bool(self.pdf)

    @property
    def sort_date(self) -> datetime.date | None:
        """The publication date as far as known (a year stands for its 1 January)."""
        if not self.publication_year:
            return None
        return datetime.date(
            self.publication_year, self.publication_month or 1, self.publication_day or 1
        )

    def related(self, limit: int = 6) -> list["Publication"]:
        """Explicitly related publications first, then those sharing themes; within each,
        the most related first, then the newest.

        How related two publications are is the weight of the themes they share, and a theme
        weighs more the fewer publications carry it (its inverse document frequency): sharing
        "Toezicht" with four others says more than sharing a theme half the site carries.
        Ranking every publication that shares a theme is a pass over tens of thousands of
        rows, so which ones they are is stored until a publication, a theme link or an
        explicit relation changes (`kernel.summaries`), and the cards per content version
        (QUERY_CACHE).
        """

        def stored() -> list["Publication"]:
            keys = summaries.get(
                RELATED_SUMMARY,
                (self.pk, limit),
                lambda: [publication.pk for publication in self._related(limit)],
                valid_until=lambda: summaries.next_scheduled(Publication),
            )
            cards = Publication.objects.published().for_cards().in_bulk(keys)
            return [cards[key] for key in keys if key in cards]

        return per_version(("related", self.pk, limit), stored)

    def _related(self, limit: int) -> list["Publication"]:
        weights = theme_weights([theme.pk for theme in self.theme_list])
        explicit = list(
            ranked_by_shared_themes(
                self.related_publications.published().exclude(pk=self.pk), weights
            ).for_cards()[:limit]
        )
        if len(explicit) >= limit or not weights:
            return explicit
        by_theme = ranked_by_shared_themes(
            Publication.objects.published()
            .exclude(pk=self.pk)
            .exclude(pk__in=[publication.pk for publication in explicit])
            .filter(
                pk__in=ThemedItem.objects.filter(
                    content_type=ContentType.objects.get_for_model(Publication),
                    tag_id__in=list(weights),
                ).values("object_id")
            ),
            weights,
        ).for_cards()[: limit - len(explicit)]
        return explicit + list(by_theme)


# Whole numbers, so that equal theme sets give equal sums on every database.
WEIGHT_SCALE = 1000


def theme_weights(theme_ids: list[int]) -> dict[int, int]:
    """The weight of each of these themes: log(publications / publications with the theme),
    plus one so that a theme every publication carries still counts a little (two queries)."""
    if not theme_ids:
        return {}
    published = Publication.objects.published()
    carried_by = dict(
        ThemedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Publication),
            tag_id__in=theme_ids,
            object_id__in=published.order_by().values("pk"),
        )
        .values_list("tag_id")
        .annotate(n=Count("id"))
    )
    total = max(published.count(), 1)
    return {
        theme_id: round(
            WEIGHT_SCALE * (1 + math.log(max(total / max(carried_by.get(theme_id, 0), 1), 1)))
        )
        for theme_id in theme_ids
    }


def ranked_by_shared_themes(queryset: PublicationQuerySet, weights: dict[int, int]):
    """Most related first (the summed weight of the shared themes), then the newest."""
    content_type = ContentType.objects.get_for_model(Publication)
    score = Value(0)
    for theme_id, weight in weights.items():
        carries = ThemedItem.objects.filter(
            content_type=content_type, tag_id=theme_id, object_id=OuterRef("pk")
        )
        score = score + Case(When(Exists(carries), then=Value(weight)), default=Value(0))
    return queryset.annotate(relatedness=score).order_by(
        models.F("relatedness").desc(),
        models.F("publication_year").desc(nulls_last=True),
        models.F("publication_month").desc(nulls_last=True),
        models.F("publication_day").desc(nulls_last=True),
        "title",
    )


RELATED_SUMMARY = summaries.declare(
    "related-publications",
    depends_on=lambda: [
        summaries.label(Publication),
        summaries.label(Publication.related_publications.through),
        summaries.label(ThemedItem),
    ],
)


class Authorship(models.Model):
    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="authorships",
        verbose_name=_("publicatie"),
    )
    person = models.ForeignKey(
        "network.Person",
        on_delete=models.PROTECT,
        related_name="authorships",
        verbose_name=_("persoon"),
    )
    position = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, help_text=_("Eerste auteur bovenaan.")
    )

    class Meta:
        verbose_name = _("auteurschap")
        verbose_name_plural = _("auteurs")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "person"], name="authorship_person_once_per_publication"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.publication}"


def theme_set_spec(theme: Theme) -> str:
    """The OAI-PMH setSpec of a theme: 'theme:<slug>', folded to the ASCII the protocol
    allows ('financiën' → 'theme:financien')."""
    folded = unicodedata.normalize("NFKD", theme.slug).encode("ascii", "ignore").decode()
    folded = re.sub(r"[^A-Za-z0-9\-_.!~*'()]", "", folded) or f"{theme.pk}"
    return f"theme:{folded}"


class WithdrawnPublication(models.Model):
    """Tombstone of a publication the public could see and no longer can (unpublished,
    scheduled again or deleted): OAI-PMH harvesters are told it is deleted (persistent).

    Keyed by the publication's primary key rather than the OAI identifier, which is
    built from a setting and would go stale if the site's host name changed."""

    publication_pk = models.PositiveBigIntegerField(_("publicatie-id"), unique=True)
    datestamp = models.DateTimeField(_("ingetrokken op"), default=timezone.now)
    set_specs = models.JSONField(
        _("sets"), default=list, blank=True, help_text=_("De thema's op het moment van intrekken.")
    )

    class Meta:
        verbose_name = _("ingetrokken publicatie")
        verbose_name_plural = _("ingetrokken publicaties")
        ordering = ["datestamp", "publication_pk"]

    def __str__(self) -> str:
        return f"publication/{self.publication_pk}"

    @classmethod
    def record(cls, publication: Publication) -> "WithdrawnPublication":
        """Write (or refresh) the tombstone of a publication that stops being public."""
        tombstone, _created = cls.objects.update_or_create(
            publication_pk=publication.pk,
            defaults={
                "datestamp": timezone.now(),
                "set_specs": sorted({theme_set_spec(theme) for theme in publication.theme_list}),
            },
        )
        return tombstone


@receiver(pre_delete, sender=Publication)
def _withdraw_deleted_publication(sender, instance: Publication, **kwargs) -> None:
    # pre_delete, not post_delete: the themes (generic relation) are deleted with the row,
    # and the tombstone keeps them; both happen in the delete's transaction.
    if Publication.objects.published().filter(pk=instance.pk).exists():
        WithdrawnPublication.record(instance)


# News and interviews live in their own module of this app (publications/news/); imported
# here so Django finds their models under the app label "publications".
from publications.news.models import NewsContribution, NewsItem  # noqa: E402, F401
