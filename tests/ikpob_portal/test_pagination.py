"""Deep pages page over keys, and show exactly what plain paging would."""

import pytest
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects

from ikpob_portal.kernel.pagination import DeferredJoinPaginator
from ikpob_portal.kernel.templatetags.portal import elided_pages
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
        # The rows come without the cards' prefetches but carry them, for the cards a page
        # renders rather than takes from the fragment cache (kernel/cards.py).
        prefetch_related_objects(page.object_list, *page.object_list.prefetches)
        assert all(item.ordered_authorships for item in page)


def test_pagination_of_many_pages_shows_both_ends_and_the_neighbours_with_gaps():
    page = Paginator(range(5000 * 20), 20).page(2500)
    gap = page.paginator.ELLIPSIS
    assert elided_pages(page) == [1, gap, 2498, 2499, 2500, 2501, 2502, gap, 5000]
