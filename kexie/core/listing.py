"""Paging and query strings of list pages: one definition for every app's lists."""

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
