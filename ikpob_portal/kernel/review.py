"""Review before publishing: the four-eyes step, for every publishable kind at once.

With `SiteSettings.review_before_publishing` on, only users with the publish permission
(`ikpob_portal.publish_content`, the Hoofdredactie group) may make an item public. Editors
`submit` a draft; a reviewer `approve`s it (it becomes published, or scheduled when its
publish moment lies ahead) or `send_back`s it with a remark. Nobody approves their own
submission. The item keeps its own status and fields: a `ReviewRequest` records who submitted
and who decided, and each step is a version in the item's history.

With the setting off nothing here runs for editors: they publish directly, as before.
"""

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.editors import CHIEF_EDITOR_GROUP, PUBLISH_PERMISSION
from ikpob_portal.kernel.models import OutgoingMail, Publishable, ReviewRequest, SiteSettings
from ikpob_portal.platform import history

RETURNED_MAIL = "ikpob_portal.review.returned"


class ReviewError(Exception):
    """A review step that may not happen; the message is shown to the editor."""


def review_required() -> bool:
    return SiteSettings.current().review_before_publishing


def may_review(user) -> bool:
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def may_publish(user) -> bool:
    """May `user` make an item public without review?"""
    return not review_required() or may_review(user)


def requests_for(item: Publishable) -> models.QuerySet:
    return ReviewRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    )


def open_request(item: Publishable) -> ReviewRequest | None:
    if item.pk is None:
        return None
    return requests_for(item).filter(state=ReviewRequest.State.OPEN).first()


def latest_request(item: Publishable) -> ReviewRequest | None:
    if item.pk is None:
        return None
    return requests_for(item).select_related("submitted_by", "decided_by").order_by("-pk").first()


def open_requests_visible_to(user) -> models.QuerySet:
    """Open requests of the kinds `user` may view (the "Te beoordelen" list)."""
    requests = ReviewRequest.objects.filter(state=ReviewRequest.State.OPEN)
    visible = [
        content_type.pk
        for content_type in ContentType.objects.filter(pk__in=requests.values("content_type"))
        if (model := content_type.model_class()) is not None
        and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]
    return requests.filter(content_type__in=visible)


def display_name(user) -> str:
    """How the history and the list name a person: full name, else the username; chief editors
    with their role, so the history says who approved in which capacity."""
    if user is None:
        return _("(onbekend)")
    name = user.get_full_name() or user.get_username()
    if user.groups.filter(name=CHIEF_EDITOR_GROUP).exists():
        return f"{name} ({CHIEF_EDITOR_GROUP})"
    return name


def submit(item: Publishable, *, user) -> ReviewRequest:
    """Offer a draft for review. Submitting again while a request is open keeps that request:
    the reviewer sees the item as it is now, and the history shows what changed meanwhile."""
    if item.status == Publishable.Status.PUBLISHED:
        raise ReviewError(_("Dit item is al gepubliceerd; het hoeft niet beoordeeld te worden."))
    with transaction.atomic():
        request = open_request(item)
        if request is not None:
            request.title = str(item)[:400]
            request.save(update_fields=["title"])
            return request
        request = ReviewRequest.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            title=str(item)[:400],
            submitted_by=user,
        )
        _record(item, user, _("Ter beoordeling aangeboden door %(name)s.") % _names(user))
        return request


def approve(item: Publishable, *, user) -> ReviewRequest:
    """Publish the item as it stands now: published from now, or scheduled when the editor
    set a moment in the future. One transaction: the item and the request change together."""
    with transaction.atomic():
        request = _lock_open_request(item, user)
        # The latest version of the item, not what the reviewer's page loaded earlier.
        item = type(item)._base_manager.select_for_update().get(pk=item.pk)
        now = timezone.now()
        item.status = Publishable.Status.PUBLISHED
        if item.published_at is None or item.published_at < now:
            item.published_at = now
        note = approval_note(user)
        history.keep_first_state(item)
        if reversion.is_registered(type(item)):
            with history.revision(user=user, comment=note):
                item.save()
        else:
            item.save()
        _decide(request, user, ReviewRequest.State.APPROVED)
        return request


def send_back(item: Publishable, *, user, remark: str) -> ReviewRequest:
    """Return the item to its editor with a remark (required); it stays a draft."""
    remark = remark.strip()
    if not remark:
        raise ReviewError(_("Schrijf bij het terugsturen op wat er nog moet gebeuren."))
    with transaction.atomic():
        request = _lock_open_request(item, user)
        request.remark = remark
        _decide(request, user, ReviewRequest.State.RETURNED)
        _record(item, user, return_note(user, remark))
        if request.submitted_by is not None and request.submitted_by.email:
            outbox.enqueue(RETURNED_MAIL, request)
        return request


def approval_note(user) -> str:
    return _("Goedgekeurd door %(name)s.") % _names(user)


def return_note(user, remark: str) -> str:
    return _("Teruggestuurd door %(name)s: %(remark)s") % {**_names(user), "remark": remark}


def _names(user) -> dict[str, str]:
    return {"name": display_name(user)}


def _lock_open_request(item: Publishable, user) -> ReviewRequest:
    if not may_review(user):
        raise ReviewError(_("Alleen de hoofdredactie beoordeelt ingediende items."))
    request = requests_for(item).select_for_update().filter(state=ReviewRequest.State.OPEN).first()
    if request is None:
        raise ReviewError(_("Dit item staat niet (meer) ter beoordeling."))
    if request.submitted_by_id == user.pk:
        raise ReviewError(
            _(
                "U hebt dit item zelf ter beoordeling aangeboden. Een ander lid van de "
                "hoofdredactie beoordeelt het (vier ogen)."
            )
        )
    return request


def _decide(request: ReviewRequest, user, state: str) -> None:
    request.state = state
    request.decided_by = user
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at", "remark"])


def _record(item: Publishable, user, note: str) -> None:
    """The step as a version in the item's history (the item as it stands, with the note)."""
    if reversion.is_registered(type(item)):
        history.keep_first_state(item)
        history.snapshot(item, user=user, comment=note)


def register_mails() -> None:
    """Called once from the kernel's `ready()`."""
    outbox.register_sender(RETURNED_MAIL, mail_returned)


def admin_change_url(request: ReviewRequest) -> str | None:
    """The item's page in the admin, or None when the item is gone."""
    model = request.content_type.model_class()
    if model is None:
        return None
    try:
        return reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[request.object_id],
        )
    except NoReverseMatch:
        return None


def mail_returned(mail: OutgoingMail) -> bool:
    """Tell the editor who submitted the item that it came back, with the remark."""
    request = (
        ReviewRequest.objects.select_related("submitted_by", "decided_by", "content_type")
        .filter(pk=mail.object_id, state=ReviewRequest.State.RETURNED)
        .first()
    )
    url = admin_change_url(request) if request is not None else None
    if request is None or url is None or not getattr(request.submitted_by, "email", ""):
        return False
    # The editors read Dutch.
    with translation.override("nl"):
        send_mail(
            subject=_("Teruggestuurd: '%(title)s'") % {"title": request.title},
            message=_(
                "%(name)s heeft '%(title)s' teruggestuurd met deze opmerking:\n\n"
                "%(remark)s\n\n"
                "Pas het item aan en bied het opnieuw ter beoordeling aan: %(url)s\n"
            )
            % {
                "name": display_name(request.decided_by),
                "title": request.title,
                "remark": request.remark,
                "url": settings.SITE_URL + url,
            },
            from_email=None,
            recipient_list=[request.submitted_by.email],
        )
    return True
