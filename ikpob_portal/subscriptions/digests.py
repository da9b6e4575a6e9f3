"""The digest: what is new for one subscriber since their last one, mailed weekly or monthly.

What goes in (`collect`): the public items of the kinds that offer alerts
(`ContentKind.alerts`) published or changed in (`digest_from`, now] that match what the
subscription follows: a theme (any such item tagged with it), a whole kind, or a saved search
(a list's filterset applied to the kind's public queryset with the saved query, or the site
search's matching entries of public items). Each item once, grouped by kind in the registry's
order, at most `GROUP_SIZE` per kind (the mail then links to the list for the rest).

Queueing (`queue_due`, registered with the outbox and run by `manage.py send_pending_mails`
every few minutes): per due subscription one short transaction that locks its row
(`select_for_update(skip_locked=True)`: a row another job holds is left to that job), checks
again under the lock that its digest is due, fixes the items in a `Digest` row (unique per
subscription and period start: the marker), enqueues the outbox mail about that row and moves
`digest_from` to the end of the period. All or nothing: a job that dies halfway leaves the
rest due for the next run, and a second job (a rerun, another machine) finds each row either
locked or no longer due. Nothing new: no `Digest` and no mail, but `digest_from` moves on.
Sending is the outbox's: exactly once per row, retried by `send_pending_mails` after an SMTP
failure; the sender renders the items fixed in the `Digest`, so a retry sends the same mail.

The rate (`settings.SUBSCRIPTIONS_DIGEST_MAILS_PER_MINUTE`): the database is the clock shared
by every machine. Before each digest the job counts the digests queued in the last minute
(`Digest.created_at`); while that reaches the rate, it sleeps until the oldest of them is a
minute old. The outbox sends a row as soon as it commits (the task worker, or at once with the
immediate backend), so mails leave at the pace they are queued. A job runs for at most
`RUN_SECONDS`, less than the five minutes between two runs of `send_pending_mails`, and leaves
what is still due to the next run; so a thousand weekly digests at 60 a minute take about
seventeen minutes, over four runs. Two jobs at once share the count; they can overshoot it by
at most one digest each, as each counts before it queues. Retries of failed mails
(`send_pending`) are not counted: they are few, and only after an outage.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from ikpob_portal.kernel import outbox, registry, search
from ikpob_portal.kernel.models import OutgoingMail, Theme, ThemedItem
from ikpob_portal.subscriptions import choices, mails, services
from ikpob_portal.subscriptions.models import DIGEST_PERIODS, Digest, SavedSearch, Subscription

DIGEST = "subscriptions.digest"
SCHEDULED = "subscriptions.digests"

# Items per kind in one mail; more link to the list on the site.
GROUP_SIZE = 20
# One run of the job stops queueing after this long (send_pending_mails runs every 5 minutes).
RUN_SECONDS = 240
WINDOW = timedelta(minutes=1)


def register() -> None:
    outbox.register_sender(DIGEST, send_digest)
    outbox.register_scheduled(SCHEDULED, queue_due)
    # A digest whose address the mail server refused for good unsubscribes that address.
    outbox.register_on_refused(
        DIGEST, lambda mail: services.unsubscribe_where(digests__pk=mail.object_id)
    )


# What goes in -----------------------------------------------------------------------------


@dataclass
class Found:
    kind: registry.ContentKind
    pk: int
    moment: datetime
    new: bool
    searches: list[str] = field(default_factory=list)


def _changed(kind: registry.ContentKind, start: datetime, end: datetime) -> models.QuerySet:
    """The public items of `kind` published or changed in (start, end]."""
    return kind.public_queryset().filter(
        models.Q(published_at__gt=start, published_at__lte=end)
        | models.Q(updated__gt=start, updated__lte=end)
    )


def _list_search_ids(saved: SavedSearch, kind: registry.ContentKind, changed) -> set[int]:
    filterset_class = choices.list_filterset_class(saved.url_name)
    if filterset_class is None or filterset_class._meta.model is not kind.model:
        return set()
    filterset = filterset_class(QueryDict(saved.query), queryset=changed)
    if not filterset.is_valid():
        # A value that no longer exists (a deleted theme): django-filter would drop that
        # filter and match everything; the search matches nothing instead.
        return set()
    return set(filterset.qs.order_by().values_list("pk", flat=True))


def _site_search_ids(saved: SavedSearch, kind: registry.ContentKind, changed) -> set[int]:
    params = QueryDict(saved.query)
    q = search.normalise(params.get("q", ""))
    chosen_kind = params.get("soort", "")
    if not q or kind.search_document is None:
        return set()
    if chosen_kind and chosen_kind != kind.model._meta.model_name:
        return set()
    entries = search.matching_entries(q, [kind]).filter(
        content_type=ContentType.objects.get_for_model(kind.model),
        object_id__in=changed.order_by().values("pk"),
    )
    slug = params.get("thema", "")
    if slug:
        theme = Theme.objects.filter(slug=slug).first() if "\x00" not in slug else None
        if theme is None:
            return set()
        entries = search.restrict_to_theme(entries, theme)
    return set(entries.order_by().values_list("object_id", flat=True))


def collect(subscription: Subscription, start: datetime, end: datetime) -> list[Found]:
    """The items for `subscription` new or changed in (start, end], by kind in the site's
    order, newest first within a kind, each once, at most GROUP_SIZE + 1 per kind (the one
    more says "there is more")."""
    theme_ids = list(subscription.themes.values_list("pk", flat=True))
    saved_searches = list(subscription.searches.all())
    found: list[Found] = []
    for kind in choices.alert_kinds():
        label = registry.model_label(kind.model)
        changed = _changed(kind, start, end)
        ids: set[int] = set()
        if label in subscription.kinds:
            ids |= set(changed.order_by().values_list("pk", flat=True))
        if theme_ids:
            tagged = ThemedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(kind.model), tag_id__in=theme_ids
            ).values("object_id")
            ids |= set(changed.filter(pk__in=tagged).order_by().values_list("pk", flat=True))
        matched: dict[int, list[str]] = {}
        for saved in saved_searches:
            if saved.url_name == choices.SEARCH_URL_NAME:
                hits = _site_search_ids(saved, kind, changed)
            else:
                hits = _list_search_ids(saved, kind, changed)
            for pk in hits:
                matched.setdefault(pk, []).append(saved.label)
        ids |= set(matched)
        if not ids:
            continue
        rows = (
            kind.model._default_manager.filter(pk__in=ids)
            .order_by()
            .values_list("pk", "published_at", "updated")
        )
        group = []
        for pk, published_at, updated in rows:
            new = start < published_at <= end
            moment = published_at if new else min(updated, end)
            group.append(Found(kind, pk, moment, new, matched.get(pk, [])))
        group.sort(key=lambda item: (item.moment, item.pk), reverse=True)
        found += group[: GROUP_SIZE + 1]
    return found


def _as_data(item: Found) -> dict:
    return {
        "kind": registry.model_label(item.kind.model),
        "id": item.pk,
        "new": item.new,
        "at": item.moment.isoformat(),
        "searches": item.searches,
    }


# Queueing ---------------------------------------------------------------------------------


def _due(now: datetime) -> models.QuerySet:
    due = models.Q()
    for frequency, period in DIGEST_PERIODS.items():
        due |= models.Q(frequency=frequency, digest_from__lte=now - period)
    return Subscription.objects.confirmed().filter(due)


def queue_one(subscription_id: int) -> bool | None:
    """Queue the digest of one subscription if it is due; True when a mail was queued, False
    when nothing was new, None when it was not due or another job holds it."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.confirmed()
            .select_for_update(skip_locked=True)
            .filter(pk=subscription_id)
            .first()
        )
        now = timezone.now()
        if subscription is None or subscription.digest_from is None:
            return None
        if subscription.digest_from + subscription.digest_period() > now:
            return None  # queued meanwhile by another job
        start = subscription.digest_from
        items = collect(subscription, start, now)
        queued = False
        if (
            items
            and not Digest.objects.filter(subscription=subscription, period_start=start).exists()
        ):
            digest = Digest.objects.create(
                subscription=subscription,
                period_start=start,
                period_end=now,
                items=[_as_data(item) for item in items],
            )
            outbox.enqueue(DIGEST, digest)
            queued = True
        subscription.digest_from = now
        subscription.save(update_fields=["digest_from"])
    return queued


def _room(rate: int) -> tuple[int, float]:
    """How many digests may be queued now, and if none, how many seconds until one may."""
    now = timezone.now()
    recent = list(
        Digest.objects.filter(created_at__gt=now - WINDOW)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:rate]
    )
    if len(recent) < rate:
        return rate - len(recent), 0.0
    return 0, max((recent[0] + WINDOW - now).total_seconds(), 0.01)


def queue_due(
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Queue the digests that are due, at most `SUBSCRIPTIONS_DIGEST_MAILS_PER_MINUTE` a
    minute, for at most RUN_SECONDS; returns how many mails were queued."""
    rate = max(1, settings.SUBSCRIPTIONS_DIGEST_MAILS_PER_MINUTE)
    deadline = clock() + RUN_SECONDS
    queued = 0
    tried: set[int] = set()
    while True:
        room, wait = _room(rate)
        if not room:
            if clock() + wait > deadline:
                return queued
            sleep(wait)
            continue
        ids = list(
            _due(timezone.now())
            .exclude(pk__in=tried)
            .order_by("digest_from", "pk")
            .values_list("pk", flat=True)[:room]
        )
        if not ids:
            return queued
        for subscription_id in ids:
            tried.add(subscription_id)
            if queue_one(subscription_id):
                queued += 1


# Sending ----------------------------------------------------------------------------------


@dataclass
class Shown:
    title: str
    url: str
    line: str
    searches: list[str]


@dataclass
class Group:
    kind: registry.ContentKind
    items: list[Shown]
    more_url: str


def _line(obj: models.Model, data: dict) -> str:
    moment = datetime.fromisoformat(data["at"]) if data.get("at") else obj.updated
    day = date_format(timezone.localtime(moment), "j F Y")
    what = "Nieuw" if data.get("new") else "Bijgewerkt"
    return f"{what} op {day} · {str(obj._meta.verbose_name).capitalize()}"


def groups(digest: Digest) -> list[Group]:
    """The digest's fixed items that are still public, by kind (call within Dutch)."""
    wanted: dict[str, list[dict]] = {}
    for data in digest.items:
        wanted.setdefault(data.get("kind", ""), []).append(data)
    result = []
    for kind in choices.alert_kinds():
        entries = wanted.get(registry.model_label(kind.model), [])
        if not entries:
            continue
        public = kind.public_queryset().in_bulk([data["id"] for data in entries])
        shown = [
            Shown(
                title=str(getattr(obj, "title", None) or obj),
                url=mails.absolute(obj.get_absolute_url()),
                line=_line(obj, data),
                searches=list(data.get("searches", [])),
            )
            for data in entries
            if (obj := public.get(data["id"])) is not None
        ]
        if not shown:
            continue
        more = len(entries) > GROUP_SIZE
        more_url = (
            mails.absolute(reverse(kind.list_url_name)) if more and kind.list_url_name else ""
        )
        result.append(Group(kind, shown[:GROUP_SIZE], more_url))
    return result


def send_digest(mail: OutgoingMail) -> bool:
    digest = (
        Digest.objects.select_related("subscription")
        .filter(pk=mail.object_id, subscription__confirmed_at__isnull=False)
        .first()
    )
    if digest is None:
        return False  # unsubscribed meanwhile
    with translation.override("nl"):
        shown = groups(digest)
        if not shown:
            return False  # everything in it was unpublished or deleted since
        since = date_format(timezone.localtime(digest.period_start), "j F Y")
        context = {"groups": shown, "since": since, "count": sum(len(g.items) for g in shown)}
    mails.message(
        digest.subscription,
        subject=f"Nieuw bij Stichting IKPOB sinds {since}",
        template="subscriptions/email/digest",
        context=context,
    ).send()
    return True
