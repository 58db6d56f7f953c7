"""Paging and query strings of list pages: one definition for every app's lists."""

import math
from dataclasses import dataclass

from django.core.paginator import Paginator

PAGE_SIZE = 25


def page_of(request, queryset, *, per_page: int = PAGE_SIZE):
    """The requested page (out-of-range pages fall back to the last), rows fetched once."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return page


def page_range(page):
    """Page numbers with ellipses: 1 … 4 5 [6] 7 8 … 20."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def querystring(request, *, drop=()) -> str:
    """The request's query string without `drop`, with its "?" (empty when nothing is left)."""
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return f"?{params.urlencode()}" if params else ""


@dataclass
class UncountedPage:
    """A page of a list whose total is counted by a separate request (lists that reach
    millions of rows, where counting costs more than the page): the rows, the page number
    and whether pages come before and after. Templates use it like a Paginator's page."""

    object_list: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def counted(self) -> int | None:
        """The total when this page shows it anyway (a first page with nothing after it)."""
        return len(self.object_list) if self.number == 1 and not self.has_next else None


def page_number(value) -> int:
    """A requested page number (a GET value); anything but a positive number is page 1."""
    try:
        return max(1, min(int(value or 1), 10**6))
    except (TypeError, ValueError):
        return 1


def uncounted_page(results, page, *, per_page: int = PAGE_SIZE) -> UncountedPage:
    """The requested page of `results` (anything with count() and slicing) without counting
    them: one row more than the page tells whether another follows. A page past the end
    falls back to the last, as page_of does (that one case counts)."""
    number = page_number(page)
    rows = list(results[(number - 1) * per_page : number * per_page + 1])
    if not rows and number > 1:
        number = max(1, math.ceil(results.count() / per_page))
        rows = list(results[(number - 1) * per_page : number * per_page + 1])
    return UncountedPage(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)


def counted_page(total: int, page, *, per_page: int = PAGE_SIZE):
    """A Paginator page over `total` rows for the page links of an UncountedPage, once the
    total is known (no rows are read)."""
    return Paginator(range(total), per_page).get_page(page)
