from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from learning_circles.models import JoinRequest


@task
def notify_editors_of_join_request(join_request_id: int) -> None:
    """Sent only while the notice is still pending; cleared in the same transaction, so a copy
    enqueued again by `send_pending_mails` while the first still waited sends nothing (the row
    lock makes a copy running at the same moment wait for the first, as in events/tasks.py)."""
    with transaction.atomic():
        pending = JoinRequest.objects.select_for_update().filter(
            pk=join_request_id, notice_pending=True
        )
        if not pending.exists():
            return
        # The editors read Dutch, whatever language the visitor used.
        with translation.override("nl"):
            _notify(join_request_id)
        # Only now is the notice out; a failure above rolls back and leaves it pending.
        JoinRequest.objects.filter(pk=join_request_id).update(notice_pending=False)


def _notify(join_request_id: int) -> None:
    join_request = JoinRequest.objects.select_related("circle").get(pk=join_request_id)
    admin_url = settings.SITE_URL + reverse(
        "admin:learning_circles_joinrequest_change", args=[join_request.pk]
    )
    send_mail(
        subject=_("Nieuwe aanmelding voor de leerkring '%(title)s'")
        % {"title": join_request.circle.title},
        message=_(
            "%(name)s (%(organisation)s) wil meedoen met de leerkring '%(title)s'.\n\n"
            "Motivatie:\n%(motivation)s\n\n"
            "Bekijk en behandel de aanmelding in het beheer: %(url)s\n"
        )
        % {
            "name": join_request.name,
            "organisation": join_request.organisation_name,
            "title": join_request.circle.title,
            "motivation": join_request.motivation,
            "url": admin_url,
        },
        from_email=None,
        recipient_list=[settings.EDITORS_EMAIL],
    )
