from django.db import transaction
from django.utils import timezone

from learning_circles.models import JoinRequest, LearningCircle
from learning_circles.tasks import notify_editors_of_join_request


def submit_join_request(*, circle: LearningCircle, data: dict) -> JoinRequest:
    """Store the interest, then tell the editors once the row is committed.

    The notice is noted as pending with the row, so a failing mail server loses nothing:
    `send_pending_notices` (run by `manage.py send_pending_mails`) tries again.
    """
    with transaction.atomic():
        join_request = JoinRequest.objects.create(
            circle=circle, consent_at=timezone.now(), notice_pending=True, **data
        )
        transaction.on_commit(lambda: notify_editors_of_join_request.enqueue(join_request.pk))
    return join_request


def send_pending_notices() -> int:
    """Enqueue again every editors' notice that has not gone out (run every few minutes)."""
    count = 0
    for join_request_id in JoinRequest.objects.filter(notice_pending=True).values_list(
        "pk", flat=True
    ):
        notify_editors_of_join_request.enqueue(join_request_id)
        count += 1
    return count
