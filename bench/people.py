"""Talent-pool benchmarks: people search and the people list, as a city and a county user see them.

Each search is timed as the list page runs it: the first page of 25 (`person_list(...)[:26]`,
one more to know whether a next page follows), and separately the count, which the page
loads by its own request after the rows (decision 0006). Queries: a common surname and a
given-name character (1 character), full common names (2 characters), a 3-character name,
full pinyin, initials and a Traditional spelling. The filtered list (tag + title level +
age range) runs without a query and with “王”; the rendered page and the count request go
through the Django test client.
"""

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from bench.scenarios import BenchContext, scenario
from kexie.core.scoping import Scope
from kexie.people.models import TitleLevel
from kexie.people.selectors.people import PersonFilter, person_list
from kexie.people.views.people import COUNT_LIMIT, COUNT_SCAN

SEARCHES = [
    ("1-char surname", "王"),
    ("1-char given name", "华"),
    ("2-char name", "王伟"),
    ("2-char name", "张丽"),
    ("3-char name", "王建国"),
    ("full pinyin", "zhangwei"),
    ("initials", "zw"),
    ("Traditional", "張偉"),
]
FILTERED = PersonFilter(tag="expert", title_level=TitleLevel.SENIOR, age_min=40, age_max=60)
SEARCH_FILTERED = PersonFilter(
    query="王", tag="expert", title_level=TitleLevel.SENIOR, age_min=40, age_max=60
)
FILTERED_PARAMS = {"tag": "expert", "title_level": TitleLevel.SENIOR, "age_min": 40, "age_max": 60}
USERS = [("city", "city_admin"), ("county", "county_staff")]


def scope_of(ctx: BenchContext, username: str) -> Scope:
    """The persona's scope, built once per run."""
    cache = ctx.__dict__.setdefault("people_scopes", {})
    if username not in cache:
        cache[username] = ctx.scope(username)
    return cache[username]


def first_page(scope: Scope, filters: PersonFilter):
    return list(person_list(scope=scope, filters=filters)[:26])


def total(scope: Scope, filters: PersonFilter):
    """The list page's count: exact up to COUNT_LIMIT, "more than" beyond; a filtered list
    checked on at most COUNT_SCAN people of the scope ("at least")."""
    return person_list(scope=scope, filters=filters).tally(COUNT_LIMIT, scan=COUNT_SCAN)


def _register_search(label: str, query: str, level: str, username: str) -> None:
    @scenario(f"people search {label} “{query}” ({level})")
    def search(ctx: BenchContext):
        return first_page(scope_of(ctx, username), PersonFilter(query=query))

    @scenario(f"people search {label} “{query}” ({level}), count")
    def count(ctx: BenchContext):
        return total(scope_of(ctx, username), PersonFilter(query=query))


def _register_list(level: str, username: str) -> None:
    @scenario(f"people list, page 1 ({level})")
    def unfiltered(ctx: BenchContext):
        return first_page(scope_of(ctx, username), PersonFilter())

    @scenario(f"people list, page 1 ({level}), count")
    def unfiltered_count(ctx: BenchContext):
        return total(scope_of(ctx, username), PersonFilter())

    @scenario(f"people list, page 1 ({level}), exact count (API)")
    def unfiltered_exact(ctx: BenchContext):
        return person_list(scope=scope_of(ctx, username), filters=PersonFilter()).count()

    @scenario(f"people list filtered: expert, senior title, aged 40–60 ({level})")
    def filtered(ctx: BenchContext):
        return first_page(scope_of(ctx, username), FILTERED)

    @scenario(f"people list filtered: expert, senior title, aged 40–60 ({level}), count")
    def filtered_count(ctx: BenchContext):
        return total(scope_of(ctx, username), FILTERED)

    @scenario(f"people search “王” filtered: expert, senior title, aged 40–60 ({level})")
    def search_filtered(ctx: BenchContext):
        return first_page(scope_of(ctx, username), SEARCH_FILTERED)

    @scenario(f"people search “王” filtered: expert, senior title, aged 40–60 ({level}), count")
    def search_filtered_count(ctx: BenchContext):
        return total(scope_of(ctx, username), SEARCH_FILTERED)

    @scenario(f"people list filtered: expert, senior title, aged 40–60 ({level}), count all (on request)")
    def filtered_count_all(ctx: BenchContext):
        return person_list(scope=scope_of(ctx, username), filters=FILTERED).tally(COUNT_LIMIT)


def _list_url() -> str | None:
    """The people list page, when its view is installed (another module provides it)."""
    try:
        return reverse("people:list")
    except NoReverseMatch:
        return None
    except Exception as exc:  # a URLconf that does not import (yet) leaves the page out
        print(f"people list page left out of the benchmarks: {exc!r}")
        return None


def _register_page(level: str, username: str, url: str) -> None:
    def client(ctx: BenchContext) -> Client:
        cache = ctx.__dict__.setdefault("people_clients", {})
        if username not in cache:
            cache[username] = Client()
            cache[username].force_login(scope_of(ctx, username).user)
        return cache[username]

    @scenario(f"people list page rendered, search “王” ({level})")
    def page_search(ctx: BenchContext):
        response = client(ctx).get(url, {"q": "王"})
        assert response.status_code == 200, response.status_code
        return len(response.content)

    @scenario(f"people list page rendered, filtered ({level})")
    def page_filtered(ctx: BenchContext):
        response = client(ctx).get(url, FILTERED_PARAMS)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    @scenario(f"people list page rendered, unfiltered ({level})")
    def page_unfiltered(ctx: BenchContext):
        response = client(ctx).get(url)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    @scenario(f"people list count request, filtered ({level})")
    def count_filtered(ctx: BenchContext):
        response = client(ctx).get(reverse("people:list_count"), FILTERED_PARAMS)
        assert response.status_code == 200, response.status_code
        return len(response.content)


for _level, _username in USERS:
    for _label, _query in SEARCHES:
        _register_search(_label, _query, _level, _username)
    _register_list(_level, _username)
_url = _list_url()
if _url:
    for _level, _username in USERS:
        _register_page(_level, _username, _url)


def explain(scope: Scope, filters: PersonFilter, *, count: bool = False) -> str:
    """The database's plans for the queries of the first page, or of the count (for
    analysing a slow scenario by hand: `print(explain(scope, FILTERED))`)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        total(scope, filters) if count else first_page(scope, filters)
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute(prefix + query["sql"])
            plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
            plans.append(f"{query['sql']}\n{plan}")
    return "\n\n".join(plans)
