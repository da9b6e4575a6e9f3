from django.db import transaction
from django.utils import timezone

from learning_circles.models import JoinRequest, LearningCircle
from learning_circles.tasks import notify_editors_of_join_request


def submit_join_request(*, circle: LearningCircle, data: dict) -> JoinRequest:
    """Store the interest, then tell the editors once the row is committed."""
    with transaction.atomic():
        join_request = JoinRequest.objects.create(circle=circle, consent_at=timezone.now(), **data)
        transaction.on_commit(lambda: notify_editors_of_join_request.enqueue(join_request.pk))
    return join_request
