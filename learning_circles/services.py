from django.db import transaction
from django.utils import timezone

from learning_circles import mails
from learning_circles.models import JoinRequest, LearningCircle


def submit_join_request(*, circle: LearningCircle, data: dict) -> JoinRequest:
    """Store the interest and, in the same transaction, the editors' notice in the outbox.

    The notice is sent once the row is committed; a failing mail server loses nothing, as
    `manage.py send_pending_mails` tries again.
    """
    with transaction.atomic():
        join_request = JoinRequest.objects.create(circle=circle, consent_at=timezone.now(), **data)
        mails.queue_join_request_notice(join_request)
    return join_request
