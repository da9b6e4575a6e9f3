"""Paging that stays fast on deep pages of large lists."""

from django.core.paginator import Page, Paginator
from django.db import models

from ikpob_portal.kernel import cards


class DeferredJoinPaginator(Paginator):
    """Finds a page's primary keys first, then fetches just those rows.

    `OFFSET 50000` over whole rows reads (and, with prefetches, nearly builds) every row it
    skips; over primary keys alone the database walks an index of the ordering instead
    (`publication_newest_first` for publications). The rows of the page are then fetched by
    key, with the list's select_related and prefetches, in the same order.
    """

    def page(self, number) -> Page:
        page = super().page(number)  # its object_list is the lazy slice of this page
        if isinstance(page.object_list, models.QuerySet):
            keys = list(page.object_list.values_list("pk", flat=True))
            # Without the cards' prefetches, which run only for the cards not kept (cards.py).
            fetched = cards.rows(self.object_list.filter(pk__in=keys).order_by())
            rows = {row.pk: row for row in fetched}
            page.object_list = cards.CardRows(
                [rows[key] for key in keys if key in rows], fetched.prefetches
            )
        return page
