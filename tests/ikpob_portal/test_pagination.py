"""Deep pages page over keys, and show exactly what plain paging would."""

import pytest
from django.core.paginator import Paginator

from ikpob_portal.pagination import DeferredJoinPaginator
from publications.models import Publication
from tests.factories import make_person, make_publication


@pytest.mark.django_db
def test_deferred_join_paginator_gives_every_page_in_the_list_order():
    author = make_person("Petra", "Ophoff")
    for number in range(45):
        make_publication(f"Stuk {number:02d}", authors=[author], publication_year=2000 + number % 7)
    queryset = Publication.objects.published().for_cards().newest_first()
    plain, deferred = Paginator(queryset, 20), DeferredJoinPaginator(queryset, 20)

    assert deferred.num_pages == plain.num_pages == 3
    for number in deferred.page_range:
        expected = [item.title for item in plain.page(number)]
        page = deferred.page(number)
        assert [item.title for item in page] == expected
        # The rows come with what the cards need.
        assert all(item.ordered_authorships for item in page)
