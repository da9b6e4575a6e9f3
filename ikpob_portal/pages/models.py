"""The foundation's own pages, and the settings of the home page."""

import datetime

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikpob_portal.kernel import registry
from ikpob_portal.kernel.models import (
    Publishable,
    PublishableQuerySet,
    prefetch_themes,
    published_constraint,
    themes_field,
)
from ikpob_portal.kernel.reversing import detail_url
from ikpob_portal.pages.reserved import reserved_slugs
from ikpob_portal.platform.images import CoverImage, image_constraints, rendition_url


class PageQuerySet(PublishableQuerySet):
    def reachable(self) -> "PageQuerySet":
        """Published pages whose parent (if any) is published too: a subpage of a draft has no
        address a visitor can open, so it is left out of menus, search and the sitemap."""
        return (
            self.published()
            .filter(Q(parent__isnull=True) | Q(parent__in=Page.objects.published()))
            .select_related("parent")
        )

    def for_cards(self) -> "PageQuerySet":
        return self.select_related("parent").prefetch_related(prefetch_themes())


class Page(Publishable, CoverImage):
    """A text of the foundation itself at the root of the site: `/over-ikpob/`, and one level
    below a page: `/over-ikpob/bestuur/`."""

    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_(
            "Het laatste deel van het adres: 'over-ikpob' geeft /over-ikpob/. Onder een "
            "bovenliggende pagina komt het daarachter: /over-ikpob/bestuur/."
        ),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("bovenliggende pagina"),
        help_text=_(
            "Leeg voor een hoofdpagina. Een subpagina staat onder een hoofdpagina; dieper "
            "dan twee niveaus gaat het niet."
        ),
    )
    summary = models.TextField(
        _("samenvatting"),
        help_text=_(
            "Een of twee zinnen; staat bovenaan de pagina, op kaarten en in zoekresultaten."
        ),
    )
    body = models.TextField(
        _("inhoud"),
        blank=True,
        help_text=_(
            "Markdown: ## voor een tussenkop, - voor een opsomming, [tekst](adres) voor een "
            "link. Een afbeelding ![wat erop staat](/afbeeldingen/…) alleen van deze site."
        ),
    )
    search_description = models.CharField(
        _("zoekomschrijving"),
        max_length=300,
        blank=True,
        help_text=_(
            "Wat zoekmachines onder de titel tonen (meta description). Leeg: de samenvatting."
        ),
    )
    in_header = models.BooleanField(
        _("toon in hoofdmenu"),
        default=False,
        help_text=_("De pagina staat in het menu bovenaan, na de vaste onderdelen van de site."),
    )
    in_footer = models.BooleanField(
        _("toon in voetmenu"),
        default=False,
        help_text=_("De pagina staat onderaan elke pagina, onder 'Over deze site'."),
    )
    menu_order = models.PositiveSmallIntegerField(
        _("volgorde in menu"),
        default=0,
        help_text=_("Lager staat eerder; bij gelijke nummers op titel."),
    )
    themes = themes_field()

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("pagina")
        verbose_name_plural = _("pagina's")
        ordering = ["menu_order", "title"]
        constraints = [
            published_constraint("page"),
            *image_constraints(),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(parent__isnull=True),
                name="page_root_slug_unique",
                violation_error_message=_("Er is al een hoofdpagina met deze slug."),
            ),
            models.UniqueConstraint(
                fields=["parent", "slug"],
                name="page_child_slug_unique",
                violation_error_message=_(
                    "Onder deze bovenliggende pagina staat al een pagina met deze slug."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="page_not_own_parent",
                violation_error_message=_("Een pagina kan niet onder zichzelf staan."),
            ),
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.title} › {self.title}"
        return self.title

    def get_absolute_url(self) -> str:
        return detail_url("pages:detail", self.path)

    @property
    def path(self) -> str:
        """The page's address below the site root, without slashes around it."""
        return f"{self.parent.slug}/{self.slug}" if self.parent_id else self.slug

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.parent_id is None and self.slug and self.slug.lower() in reserved_slugs():
            errors.setdefault("slug", []).append(
                ValidationError(
                    _(
                        "Het adres /%(slug)s/ is al van een onderdeel van de site. Kies een "
                        "andere slug, bijvoorbeeld 'over-%(slug)s'."
                    ),
                    code="reserved",
                    params={"slug": self.slug},
                )
            )
        if self.parent_id is not None:
            if self.pk is not None and self.parent_id == self.pk:
                errors.setdefault("parent", []).append(
                    _("Een pagina kan niet onder zichzelf staan.")
                )
            elif self.parent.parent_id is not None:
                errors.setdefault("parent", []).append(
                    _(
                        "Kies een hoofdpagina: een pagina staat hoogstens één niveau onder een "
                        "andere (twee niveaus in totaal)."
                    )
                )
            elif self.pk is not None and Page.objects.filter(parent_id=self.pk).exists():
                errors.setdefault("parent", []).append(
                    _(
                        "Deze pagina heeft zelf subpagina's en kan daarom niet onder een andere "
                        "pagina staan."
                    )
                )
        if errors:
            raise ValidationError(errors)


class PageImage(CoverImage):
    """An image to place in a page's text: uploaded here, put in the body with the Markdown the
    admin shows for it (`![alt text](/afbeeldingen/…)`), served like every other image."""

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="body_images", verbose_name=_("pagina")
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("afbeelding in de tekst")
        verbose_name_plural = _("afbeeldingen in de tekst")
        ordering = ["position", "pk"]
        constraints = [*image_constraints()]

    def __str__(self) -> str:
        return self.image_alt or str(_("Afbeelding"))

    def clean(self) -> None:
        if not self.image:
            raise ValidationError({"image": _("Kies een afbeelding om te uploaden.")})
        super().clean()

    @property
    def markdown(self) -> str:
        """What to paste into the body: the image about 800 pixels wide, with its alt text."""
        url = rendition_url(self, 800)
        if not url:
            return ""
        alt = "" if self.image_decorative else self.image_alt.replace("]", "")
        return f"![{alt}]({url})"


# The home page -------------------------------------------------------------------------


class HomePage(models.Model):
    """The one set of settings of the home page ("Startpagina"): an intro and featured items."""

    SINGLETON_PK = 1

    intro = models.TextField(
        _("inleiding"),
        blank=True,
        help_text=_(
            "Een korte tekst in Markdown onder de kop van de startpagina. Leeg: de vaste tekst "
            "over de stichting."
        ),
    )
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("startpagina")
        verbose_name_plural = _("startpagina")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="homepage_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("Startpagina"))

    def save(self, *args, **kwargs) -> None:
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "HomePage":
        home, _created = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return home


class FeaturedItemQuerySet(models.QuerySet):
    def current(self, today: datetime.date | None = None) -> "FeaturedItemQuerySet":
        """Items whose end date has not passed (the end date's day itself still counts)."""
        today = today or timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=today))


class FeaturedItem(models.Model):
    """An item of any public kind, picked for the home page, until an optional end date."""

    home = models.ForeignKey(
        HomePage,
        on_delete=models.CASCADE,
        related_name="featured_items",
        verbose_name=_("startpagina"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("soort"))
    object_id = models.PositiveBigIntegerField(_("item-id"))
    target = GenericForeignKey("content_type", "object_id")
    position = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, help_text=_("Lager staat eerder.")
    )
    until = models.DateField(
        _("tonen tot en met"),
        null=True,
        blank=True,
        help_text=_(
            "Na deze dag verdwijnt het item vanzelf van de startpagina. Leeg: blijft staan."
        ),
    )

    objects = FeaturedItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitgelicht item")
        verbose_name_plural = _("uitgelichte items")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["home", "content_type", "object_id"],
                name="featured_item_once",
                violation_error_message=_("Dit item staat al bij de uitgelichte items."),
            ),
        ]

    def __str__(self) -> str:
        target = self.target_or_none()
        return str(target) if target is not None else f"#{self.object_id}"

    def target_or_none(self):
        model = self.content_type.model_class() if self.content_type_id else None
        if model is None:
            return None
        return model._default_manager.filter(pk=self.object_id).first()

    def clean(self) -> None:
        super().clean()
        if not self.content_type_id:
            return
        model = self.content_type.model_class()
        if model is None or registry.kind_for(model) is None:
            raise ValidationError(_("Kies een item van een soort die de site openbaar toont."))
        if not model._default_manager.filter(pk=self.object_id).exists():
            raise ValidationError(_("Dit item bestaat niet (meer). Kies een ander item."))
