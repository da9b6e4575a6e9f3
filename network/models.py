"""Organisations and people: referenced by every domain app.

Started minimal for publications (authors, publishers, commissioners); the network issue
completes them with public pages, affiliations and identifiers.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
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

    name = models.CharField(_("naam"), max_length=200, unique=True)
    short_name = models.CharField(
        _("afkorting"), max_length=30, blank=True, help_text=_("Bijvoorbeeld VNG, BZK of NSOB.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices, default=Kind.OVERIG)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('publications:list')}?organisatie={self.slug}"

    @property
    def display_name(self) -> str:
        return self.name


class Person(models.Model):
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

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        # Dutch convention: "Steen, Martijn van der" sorts under S.
        ordering = ["family_name", "given_name", "particle"]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return f"{reverse('publications:list')}?auteur={self.slug}"

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
