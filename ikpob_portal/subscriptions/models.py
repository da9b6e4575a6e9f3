"""Subscriptions: who wants to hear about what, and what was sent to them.

Only the address, the choices and dates are stored (the privacy statement says so). A
subscription exists from the moment the form is sent, but nothing is mailed to it except the
confirmation until `confirmed_at` is set (double opt-in); unconfirmed rows are deleted after
`CONFIRMATION_DAYS`. Unsubscribing deletes the row and everything hanging from it.
"""

import secrets
from datetime import timedelta

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A confirmation link works this long; an unconfirmed subscription is deleted after it.
CONFIRMATION_DAYS = 7


def new_token() -> str:
    return secrets.token_urlsafe(32)


def add_salt(token: str) -> str:
    return f"ikpob_portal.subscriptions.add:{token}"


class SubscriptionQuerySet(models.QuerySet):
    def for_address(self, email: str) -> "SubscriptionQuerySet":
        """The subscription of this address, whatever its case (along the unique index)."""
        return self.alias(lower_email=Lower("email")).filter(lower_email=email.lower())

    def confirmed(self) -> "SubscriptionQuerySet":
        return self.filter(confirmed_at__isnull=False)

    def expired_unconfirmed(self, now=None) -> "SubscriptionQuerySet":
        """Unconfirmed for `CONFIRMATION_DAYS` since the form was last sent (services sets
        `created_at` again with each new confirmation mail)."""
        cutoff = (now or timezone.now()) - timedelta(days=CONFIRMATION_DAYS)
        return self.filter(confirmed_at__isnull=True, created_at__lte=cutoff)


class Subscription(models.Model):
    """One address and what it follows: themes, kinds of content, saved searches (rows of
    `SavedSearch`) and the newsletter."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Eens per week")
        MONTHLY = "monthly", _("Eens per maand")

    email = models.EmailField(_("e-mailadres"), max_length=254)
    # The key of the personal links in every mail (preferences, unsubscribe); nothing else
    # opens a subscription without logging in.
    token = models.CharField(_("sleutel"), max_length=64, unique=True, default=new_token)
    themes = models.ManyToManyField(
        "ikpob_portal.Theme", blank=True, related_name="+", verbose_name=_("thema's")
    )
    # Content kinds by model label ("publications.publication"); only kinds that offer alerts
    # (kernel registry, `ContentKind.alerts`).
    kinds = models.JSONField(_("soorten"), default=list, blank=True)
    frequency = models.CharField(
        _("hoe vaak"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    newsletter = models.BooleanField(_("nieuwsbrief"), default=False)
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    # At most one confirmation (or "you follow this already") mail per address per day.
    mail_sent_at = models.DateTimeField(_("laatste bevestigingsmail"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    # Items published or changed after this moment go into the next digest.
    digest_from = models.DateTimeField(_("volgende overzicht vanaf"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnementen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscription_unique_email"),
            models.CheckConstraint(
                condition=models.Q(frequency__in=["weekly", "monthly"]),
                name="subscription_frequency_known",
            ),
        ]
        indexes = [
            models.Index(
                fields=["digest_from"],
                condition=models.Q(confirmed_at__isnull=False),
                name="subscription_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_absolute_url(self) -> str:
        """The personal preferences page (the link in every mail)."""
        return reverse("subscriptions:preferences", kwargs={"token": self.token})

    def get_unsubscribe_url(self) -> str:
        """The page with the unsubscribe button, and the one-click address (RFC 8058)."""
        return reverse("subscriptions:unsubscribe", kwargs={"token": self.token})

    def get_confirm_url(self) -> str:
        return reverse("subscriptions:confirm", kwargs={"token": self.token})

    def get_add_url(self, additions: dict) -> str:
        """The link in an "add this" mail: the additions signed for this subscription, valid
        `CONFIRMATION_DAYS` (services.read_additions)."""
        signed = signing.dumps(additions, salt=add_salt(self.token), compress=True)
        return reverse("subscriptions:add", kwargs={"token": self.token, "signed": signed})

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def digest_period(self) -> timedelta:
        return DIGEST_PERIODS[self.frequency]


# How long a digest covers, per frequency (the job sends one when this has passed).
DIGEST_PERIODS = {
    Subscription.Frequency.WEEKLY: timedelta(days=7),
    Subscription.Frequency.MONTHLY: timedelta(days=30),
}


class SavedSearch(models.Model):
    """A search or a filtered list, followed: new matches go into the digest."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="searches"
    )
    # The page searched, by URL name ("search", "publications:list"), and its query in the
    # list's canonical form (kernel/lists.canonical_query): the same search is one row.
    url_name = models.CharField(_("pagina"), max_length=100)
    query = models.CharField(_("zoekopdracht"), max_length=1000, blank=True)
    label = models.CharField(_("omschrijving"), max_length=300)
    created_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("bewaarde zoekopdracht")
        verbose_name_plural = _("bewaarde zoekopdrachten")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "url_name", "query"], name="saved_search_once"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        path = reverse(self.url_name)
        return f"{path}?{self.query}" if self.query else path


class Digest(models.Model):
    """One digest for one subscriber: the marker that it was queued (its mail is an outbox row,
    sent exactly once). `items` holds what it shows, fixed when it was queued, so a retry after
    a failure sends the same mail."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="digests")
    period_start = models.DateTimeField(_("begin van de periode"))
    period_end = models.DateTimeField(_("einde van de periode"))
    # [{"kind": "publications.publication", "id": 12}, ...], grouped by kind when rendered.
    items = models.JSONField(_("onderdelen"), default=list)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("overzicht per e-mail")
        verbose_name_plural = _("overzichten per e-mail")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_start"], name="digest_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}: {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"


class Newsletter(models.Model):
    """The foundation's newsletter, written in the admin: an introduction and chosen items,
    sent to every confirmed subscriber who asked for it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        SCHEDULED = "scheduled", _("Ingepland")
        SENDING = "sending", _("Wordt verstuurd")
        SENT = "sent", _("Verstuurd")

    subject = models.CharField(_("onderwerp"), max_length=200)
    intro = models.TextField(
        _("inleiding"), help_text=_("Een paar alinea's boven de gekozen onderdelen.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    send_at = models.DateTimeField(
        _("versturen op"),
        null=True,
        blank=True,
        help_text=_("Leeg laten en inplannen: zo snel mogelijk versturen."),
    )
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("nieuwsbrief")
        verbose_name_plural = _("nieuwsbrieven")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class NewsletterItem(models.Model):
    """An item of any content kind in a newsletter, in the editor's order."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="items")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("soort"))
    object_id = models.PositiveBigIntegerField(_("object-id"))
    item = GenericForeignKey("content_type", "object_id")
    position = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("onderdeel")
        verbose_name_plural = _("onderdelen")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "content_type", "object_id"], name="newsletter_item_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.item) if self.item is not None else f"#{self.object_id}"


class NewsletterDelivery(models.Model):
    """The marker that a newsletter was queued for one subscriber (exactly once); its mail is
    an outbox row. Deleted with the subscription when someone unsubscribes."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="newsletter_deliveries"
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("verzending")
        verbose_name_plural = _("verzendingen")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "subscription"], name="newsletter_delivery_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.newsletter_id} → {self.subscription_id}"
