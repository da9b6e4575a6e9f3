"""Organisations and people: referenced by every domain app (authors, partners, speakers)."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel.models import (
    Publishable,
    PublishableQuerySet,
    prefetch_themes,
    published_constraint,
    themes_field,
)
from ikpob_portal.kernel.reversing import detail_url
from ikpob_portal.platform.images import CoverImage, RenditionsMixin, image_constraints
from ikpob_portal.platform.uploads import IMAGE_EXTENSIONS, logo_upload_to, validate_image
from network.validators import (
    normalise_orcid,
    normalise_ror,
    validate_orcid,
    validate_ror,
    validate_tooi,
)

# Fixed paths under /netwerk/ that an organisation's slug may not take.
RESERVED_SLUGS = frozenset({"personen", "deelname", "agenda", "archief"})
GOVERNMENT_KINDS = frozenset({"gemeente", "provincie", "waterschap", "ministerie", "inspectie"})

# What other items' search rows take from an organisation or a person (registry.NamedIn):
# the name while it is published. A change to any of these rebuilds the rows that name it.
ORGANISATION_NAME_FIELDS = ("name", "slug", "status", "published_at")
PERSON_NAME_FIELDS = ("given_name", "particle", "family_name", "slug", "status", "published_at")


class OrganisationQuerySet(PublishableQuerySet):
    def for_cards(self) -> "OrganisationQuerySet":
        return self.prefetch_related(prefetch_themes())


class Organisation(RenditionsMixin, Publishable):
    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("Gemeente")
        PROVINCIE = "provincie", _("Provincie")
        WATERSCHAP = "waterschap", _("Waterschap")
        MINISTERIE = "ministerie", _("Ministerie")
        INSPECTIE = "inspectie", _("Inspectie")
        VERENIGING = "vereniging", _("Vereniging")
        FONDS = "fonds", _("Fonds")
        KENNISINSTITUUT = "kennisinstituut", _("Kennisinstituut")
        UNIVERSITEIT = "universiteit", _("Universiteit")
        STICHTING = "stichting", _("Stichting")
        OVERIG = "overig", _("Overig")

    # Relations to the foundation; several may apply. Flags, so every database can filter them.
    RELATIONS = {
        "partner": ("is_partner", _("Partner")),
        "opdrachtgever": ("is_client", _("Opdrachtgever")),
        "financier": ("is_funder", _("Financier")),
        "kennispartner": ("is_knowledge_partner", _("Kennispartner")),
    }

    name = models.CharField(_("naam"), max_length=200, unique=True)
    short_name = models.CharField(
        _("afkorting"), max_length=30, blank=True, help_text=_("Bijvoorbeeld VNG, BZK of NSOB.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices, default=Kind.OVERIG)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("omschrijving"),
        blank=True,
        help_text=_("Wat de organisatie doet en wat zij met het vakmanschap van ambtenaren heeft."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to=logo_upload_to,
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image],
        help_text=_("PNG, JPEG of WebP; geen SVG."),
    )
    logo_alt = models.CharField(
        _("alternatieve tekst van het logo"),
        max_length=200,
        blank=True,
        help_text=_("Verplicht bij een logo: wat een schermlezer voorleest, meestal 'Logo van …'."),
    )
    # Recorded on upload, so pages give the logo's renditions a width and height without
    # opening the file (ikpob_portal/platform/images.py).
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    themes = themes_field()
    is_partner = models.BooleanField(_("partner"), default=False)
    is_client = models.BooleanField(_("opdrachtgever"), default=False)
    is_funder = models.BooleanField(_("financier"), default=False)
    is_knowledge_partner = models.BooleanField(_("kennispartner"), default=False)
    tooi_uri = models.CharField(
        _("TOOI-identificatie"),
        max_length=200,
        blank=True,
        validators=[validate_tooi],
        help_text=_(
            "Alleen voor overheidsorganisaties, bijvoorbeeld "
            "https://identifier.overheid.nl/tooi/id/gemeente/gm1859."
        ),
    )
    ror_id = models.CharField(
        _("ROR-identificatie"),
        max_length=40,
        blank=True,
        validators=[validate_ror],
        help_text=_(
            "Voor universiteiten en kennisinstituten, bijvoorbeeld https://ror.org/04b8v1s79."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    # A logo is shown small: 160 px wide on a page, twice that on sharp screens.
    rendition_widths = {"logo": (160, 320)}

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            published_constraint("organisation"),
            models.CheckConstraint(
                condition=~Q(slug__in=sorted(RESERVED_SLUGS)),
                name="organisation_slug_not_reserved",
                violation_error_message=_(
                    "Deze slug is gereserveerd voor een vaste pagina; kies een andere."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tooi_uri="") | Q(kind__in=sorted(GOVERNMENT_KINDS)),
                name="organisation_tooi_only_for_government",
                violation_error_message=_(
                    "Een TOOI-identificatie hoort alleen bij een overheidsorganisatie."
                ),
            ),
            models.CheckConstraint(
                condition=Q(logo="") | ~Q(logo_alt=""),
                name="organisation_logo_has_alt_text",
                violation_error_message=_("Geef het logo een alternatieve tekst."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.logo and not self.logo_alt.strip():
            errors["logo_alt"] = _(
                "Een logo heeft een alternatieve tekst nodig, bijvoorbeeld 'Logo van de VNG'."
            )
        if self.tooi_uri and self.kind not in GOVERNMENT_KINDS:
            errors["tooi_uri"] = _(
                "Een TOOI-identificatie hoort alleen bij een overheidsorganisatie (gemeente, "
                "provincie, waterschap, ministerie of inspectie)."
            )
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("Deze slug is gereserveerd voor een vaste pagina; kies een andere.")
        if self.ror_id:
            self.ror_id = normalise_ror(self.ror_id)
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return detail_url("network:detail", self.slug)

    @property
    def logo_url(self) -> str:
        """Where browsers get the logo: `network.views.organisation_logo`, never the storage.

        The query string changes with every new upload, so browsers may keep a logo for long.
        """
        if not self.logo:
            return ""
        version = hashlib.sha256(self.logo.name.encode()).hexdigest()[:12]
        return f"{reverse('network:logo', kwargs={'slug': self.slug})}?v={version}"

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def relation_labels(self) -> list[str]:
        return [label for field, label in self.RELATIONS.values() if getattr(self, field)]

    @property
    def is_government(self) -> bool:
        return self.kind in GOVERNMENT_KINDS


class PersonQuerySet(PublishableQuerySet):
    def for_cards(self) -> "PersonQuerySet":
        return self.prefetch_related(
            models.Prefetch(
                "affiliations",
                # Only organisations the public may see are named on a person.
                queryset=Affiliation.objects.filter(
                    organisation__in=Organisation.objects.published()
                )
                .select_related("organisation")
                .order_by("-is_current", "position"),
                to_attr="ordered_affiliations",
            ),
            prefetch_themes(),
        )


class Person(CoverImage, Publishable):
    given_name = models.CharField(
        _("voornaam"),
        max_length=100,
        blank=True,
        help_text=_("Leeg laten als de voornaam niet bekend is."),
    )
    particle = models.CharField(
        _("tussenvoegsel"),
        max_length=30,
        blank=True,
        help_text=_("Bijvoorbeeld 'van der' of 't'. Wordt bij het sorteren achter de naam gezet."),
    )
    family_name = models.CharField(_("achternaam"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(
        _("functie"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld 'hoogleraar bestuurskunde' of 'portefeuillehouder'."),
    )
    bio = models.TextField(_("korte biografie"), blank=True)
    orcid = models.CharField(
        _("ORCID iD"),
        max_length=40,
        blank=True,
        validators=[validate_orcid],
        help_text=_("Bijvoorbeeld 0000-0002-1825-0097."),
    )
    themes = themes_field()
    organisations = models.ManyToManyField(
        Organisation,
        through="Affiliation",
        related_name="people",
        blank=True,
        verbose_name=_("organisaties"),
    )

    objects = PersonQuerySet.as_manager()

    # The image is a portrait, shown small on cards and beside the name on the person's page.
    rendition_widths = {"image": (160, 320, 640)}

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        # Dutch convention: "Steen, Martijn van der" sorts under S.
        ordering = ["family_name", "given_name", "particle"]
        constraints = [published_constraint("person"), *image_constraints()]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        super().clean()
        if self.orcid:
            self.orcid = normalise_orcid(self.orcid)

    def get_absolute_url(self) -> str:
        return detail_url("network:person-detail", self.slug)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.particle, self.family_name) if part)

    @property
    def sort_name(self) -> str:
        """'Steen, Martijn van der': family name first, particle after the given name."""
        rest = " ".join(part for part in (self.given_name, self.particle) if part)
        return f"{self.family_name}, {rest}" if rest else self.family_name

    @property
    def initials(self) -> str:
        """'M.' for Martijn, 'A.-M.' for Anne-Marie, 'R. J.' for 'Rob Jan'."""
        words = self.given_name.split()
        return " ".join(
            "-".join(f"{part[0]}." for part in word.split("-") if part) for word in words
        )

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""

    @property
    def current_affiliations(self) -> list["Affiliation"]:
        affiliations = getattr(self, "ordered_affiliations", None)
        if affiliations is None:
            affiliations = list(
                self.affiliations.select_related("organisation").order_by("-is_current", "position")
            )
        return [affiliation for affiliation in affiliations if affiliation.is_current]


class Affiliation(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("persoon")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="affiliations",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol of functie"), max_length=200, blank=True)
    is_current = models.BooleanField(_("huidig"), default=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("verbinding met organisatie")
        verbose_name_plural = _("verbindingen met organisaties")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"], name="affiliation_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}" + (f" ({self.role})" if self.role else "")
