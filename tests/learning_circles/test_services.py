"""The join service: a request that cannot be stored is a domain error with a Dutch message."""

import pytest

from learning_circles.models import JoinRequest
from learning_circles.services import JoinRequestError, submit_join_request
from tests.factories import make_join_request, make_learning_circle

DATA = {
    "organisation_name": "Gemeente Berkelland",
    "name": "Anna Jansen",
    "email": "anna@berkelland.nl",
    "motivation": "Wij willen leren hoe andere gemeenten toezicht houden.",
}


@pytest.mark.django_db(transaction=True)
def test_submit_join_request_refuses_a_second_open_request_with_a_dutch_error():
    circle = make_learning_circle("Toezicht in de praktijk")
    make_join_request(circle, email="Anna@Berkelland.nl")

    with pytest.raises(JoinRequestError) as refused:
        submit_join_request(circle=circle, data=DATA)

    assert refused.value.field == "email"
    assert str(refused.value.message) == (
        "Met dit e-mailadres is al belangstelling gemeld voor deze leerkring. "
        "De redactie neemt contact met u op."
    )
    assert JoinRequest.objects.count() == 1


@pytest.mark.django_db
def test_submit_join_request_stores_the_request_with_consent():
    circle = make_learning_circle("Toezicht in de praktijk")

    join_request = submit_join_request(circle=circle, data=DATA)

    assert JoinRequest.objects.get() == join_request
    assert join_request.consent_at is not None
