"""NewsItem (a "bericht" under "Actueel") and the people in it, each with a role and an order."""

import datetime

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext

from ikpob_portal.kernel.models import (
    Publishable,
    PublishableQuerySet,
    prefetch_themes,
    published_constraint,
    themes_field,
)
from ikpob_portal.kernel.reversing import detail_url
from ikpob_portal.platform.images import CoverImage, image_constraints


class NewsItemQuerySet(PublishableQuerySet):
    def for_cards(self) -> "NewsItemQuerySet":
        """What a card shows (people in order, themes), in a fixed number of queries."""
        return self.prefetch_related(
            Prefetch(
                "contributions",
                queryset=NewsContribution.objects.select_related("person").order_by(
                    "position", "pk"
                ),
                to_attr="ordered_contributions",
            ),
            prefetch_themes(),
        )

    def newest_first(self) -> "NewsItemQuerySet":
        return self.order_by("-date", "-published_at", "title")


class NewsItem(Publishable, CoverImage):
    class Kind(models.TextChoices):
        NIEUWS = "nieuws", _("Nieuws")
        INTERVIEW = "interview", _("Interview")
        VERSLAG = "verslag", _("Verslag")
        COLUMN = "column", _("Column")

    title = models.CharField(_("titel"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("Het laatste deel van het webadres; wordt uit de titel gemaakt."),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.NIEUWS)
    date = models.DateField(
        _("datum"),
        default=timezone.localdate,
        db_index=True,
        help_text=_(
            "De datum waarop het bericht verschijnt; staat op de kaart en bepaalt de volgorde."
        ),
    )
    summary = models.TextField(
        _("samenvatting"),
        help_text=_("Een tot drie zinnen; staat op kaarten, in zoekresultaten en bovenaan."),
    )
    body = models.TextField(
        _("tekst"),
        blank=True,
        help_text=_(
            "Alinea's gescheiden door een lege regel. Markdown mag: **vet**, *cursief*, "
            "## tussenkop, - opsomming, [link](https://…). HTML wordt niet overgenomen."
        ),
    )
    people = models.ManyToManyField(
        "network.Person",
        through="NewsContribution",
        related_name="news_items",
        blank=True,
        verbose_name=_("personen"),
    )
    organisations = models.ManyToManyField(
        "network.Organisation",
        blank=True,
        related_name="news_items",
        verbose_name=_("organisaties"),
        help_text=_("Organisaties waar het bericht over gaat of die erin aan bod komen."),
    )
    themes = themes_field()

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        # "Bericht" covers news, interviews, reports and columns alike; the admin groups
        # them under "Actueel", the name of the section on the site.
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-date", "title"]
        constraints = [published_constraint("newsitem"), *image_constraints()]
        indexes = [models.Index(fields=["-date", "-published_at"], name="newsitem_newest_first")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return detail_url("news:detail", self.slug)

    @property
    def contributions_in_order(self) -> list["NewsContribution"]:
        prefetched = getattr(self, "ordered_contributions", None)
        if prefetched is None:
            prefetched = list(self.contributions.select_related("person").order_by("position"))
        return prefetched

    def people_with_role(self, *roles: str) -> list:
        """The people of these roles, in the editor's order (published or not: the page shows
        a name either way and links only published people)."""
        return [c.person for c in self.contributions_in_order if c.role in roles]

    @property
    def authors(self) -> list:
        return self.people_with_role(NewsContribution.Role.AUTHOR)

    @property
    def featured_people(self) -> list:
        """Whom the piece is about: the interviewee(s), else whoever speaks or is portrayed."""
        return self.people_with_role(
            NewsContribution.Role.INTERVIEWEE, NewsContribution.Role.SPEAKER
        )

    def people_by_role(self, *, mentioned: bool = True) -> list[tuple[str, list]]:
        """("Geïnterviewde", [people]) per role, in the order of `NewsContribution.ROLE_ORDER`
        and within a role in the editor's order: the page's "who is in it" (a card leaves out
        who is only mentioned)."""
        groups = []
        for role in NewsContribution.ROLE_ORDER:
            if role == NewsContribution.Role.MENTIONED and not mentioned:
                continue
            people = self.people_with_role(role)
            if people:
                groups.append((NewsContribution.role_heading(role, len(people)), people))
        return groups

    @property
    def card_people(self) -> list[tuple[str, list]]:
        return self.people_by_role(mentioned=False)

    @property
    def sort_date(self) -> datetime.date:
        return self.date


class NewsContribution(models.Model):
    """One person in a news item, in a role: interviewed, wrote it, spoke, or is mentioned."""

    class Role(models.TextChoices):
        INTERVIEWEE = "geinterviewde", _("Geïnterviewde")
        AUTHOR = "auteur", _("Auteur")
        SPEAKER = "spreker", _("Spreker")
        MENTIONED = "genoemd", _("Komt aan bod")

    # Who the piece is about first, then who wrote it, then who only comes up.
    ROLE_ORDER = (Role.INTERVIEWEE, Role.SPEAKER, Role.AUTHOR, Role.MENTIONED)

    news_item = models.ForeignKey(
        NewsItem,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("bericht"),
    )
    person = models.ForeignKey(
        "network.Person",
        on_delete=models.PROTECT,
        related_name="news_contributions",
        verbose_name=_("persoon"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.INTERVIEWEE)
    position = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, help_text=_("Wie bovenaan staat, wordt als eerste genoemd.")
    )

    class Meta:
        verbose_name = _("persoon in het bericht")
        verbose_name_plural = _("personen in het bericht (in volgorde)")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["news_item", "person", "role"], name="news_contribution_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) — {self.news_item}"

    @classmethod
    def role_heading(cls, role: str, count: int) -> str:
        """The role as a heading over `count` people: "Geïnterviewde", "Sprekers"."""
        headings = {
            cls.Role.INTERVIEWEE: npgettext("news role", "Geïnterviewde", "Geïnterviewden", count),
            cls.Role.SPEAKER: npgettext("news role", "Spreker", "Sprekers", count),
            cls.Role.AUTHOR: npgettext("news role", "Auteur", "Auteurs", count),
            cls.Role.MENTIONED: npgettext("news role", "Komt aan bod", "Komen aan bod", count),
        }
        return headings[role]
