"""The editors' notice of a join request, through the kernel's outbox."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ikpob_portal.kernel import outbox
from ikpob_portal.kernel.models import OutgoingMail
from learning_circles.models import JoinRequest

JOIN_REQUEST_RECEIVED = "learning_circles.join_request.received"


def register() -> None:
    """Called once from `LearningCirclesConfig.ready()`."""
    outbox.register_sender(JOIN_REQUEST_RECEIVED, notify_editors_of_join_request)


def queue_join_request_notice(join_request: JoinRequest) -> None:
    outbox.enqueue(JOIN_REQUEST_RECEIVED, join_request)


def notify_editors_of_join_request(mail: OutgoingMail) -> bool:
    join_request = JoinRequest.objects.select_related("circle").filter(pk=mail.object_id).first()
    if join_request is None:  # removed by an editor before the notice went out
        return False
    admin_url = settings.SITE_URL + reverse(
        "admin:learning_circles_joinrequest_change", args=[join_request.pk]
    )
    # The editors read Dutch, whatever language the visitor used.
    with translation.override("nl"):
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
    return True
