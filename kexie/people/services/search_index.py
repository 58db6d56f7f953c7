"""Keeping PersonToken and PersonInScope, the search and list indexes of people, in step
with what they copy.

A PersonToken row is (key of the name, place the person is seen from, rank of the key,
pinyin sort key); a PersonInScope row is (organization whose scope sees the person: a place
or an ancestor of one, pinyin sort key). Whatever changes one of those — a person created,
renamed, moved to another keeper, anonymized; a membership created; an organization moved —
calls one function here, inside the caller's transaction, so the indexes never disagree
with the records (decisions 0006 and 0007). ScopeCount, the number of PersonInScope rows of
each path, moves with those rows in the same functions (decision 0009).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import CharField, Count, F, QuerySet, Value
from django.db.models.functions import Concat, Length, Substr

from kexie.core import bulk
from kexie.core.chinese import person_name_keys
from kexie.orgs.models import PATH_SEGMENT
from kexie.people.models import (
    Person,
    PersonInScope,
    PersonStatus,
    PersonToken,
    ScopeCount,
    SocietyMembership,
)

COLUMNS = ("person_id", "token", "path", "rank", "sort_key")
SCOPE_COLUMNS = ("person_id", "path", "sort_key")


def places(keeper_path: str, society_paths: Iterable[str]) -> list[str]:
    """Where a person is seen from: the keeper's path, and each society's path outside the
    keeper's branch (a society inside it adds no one: every scope that holds the society
    holds the keeper too)."""
    result = [keeper_path]
    for path in sorted(set(society_paths)):
        if not path.startswith(keeper_path):
            result.append(path)
    return result


def token_rows(person_id: int, name: str, sort_key: str, paths: list[str]) -> list[tuple]:
    """The index rows of one person: every key of the name, and EVERYONE, at every place."""
    keys = ((PersonToken.EVERYONE, PersonToken.Rank.INSIDE), *person_name_keys(name).tokens)
    return [(person_id, token, path, rank, sort_key) for path in paths for token, rank in keys]


def scope_paths(paths: Iterable[str]) -> set[str]:
    """Every organization whose subtree holds one of these places: the places and their
    ancestors (a path's prefixes, segment by segment)."""
    return {path[:end] for path in paths for end in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT)}


def scope_rows(person_id: int, sort_key: str, paths: Iterable[str]) -> list[tuple]:
    """The PersonInScope rows (SCOPE_COLUMNS) of one person seen from these places."""
    return [(person_id, path, sort_key) for path in scope_paths(paths)]


def insert_scope_rows(rows: list[tuple], *, removed: Counter | None = None) -> None:
    """Insert PersonInScope rows (SCOPE_COLUMNS), in the unique index's order, and count
    them in their paths, net of the rows `removed` before them (delete_scope_rows): a
    rename rewrites a person's rows in the same paths and moves no count."""
    rows.sort(key=lambda row: (row[1], row[0]))
    bulk.insert_rows(PersonInScope._meta.db_table, SCOPE_COLUMNS, rows)
    added = Counter(row[1] for row in rows)
    added.subtract(removed or Counter())
    _count_in_scopes(added)


def delete_scope_rows(rows: QuerySet) -> Counter:
    """Delete these PersonInScope rows; return how many each path lost, for the
    insert_scope_rows that follows to count (net)."""
    removed = Counter(dict(rows.order_by().values_list("path").annotate(n=Count("*"))))
    rows.delete()
    return removed


def _count_in_scopes(deltas: Mapping[str, int]) -> None:
    """Add these numbers to the paths' ScopeCount rows (created at 0). The rows are locked
    in path order first, so two transactions counting the same paths (the province's is in
    every one) wait for each other rather than deadlock."""
    deltas = {path: n for path, n in deltas.items() if n}
    if not deltas:
        return
    paths = sorted(deltas)
    for chunk in _chunks(paths):
        ScopeCount.objects.bulk_create([ScopeCount(path=path) for path in chunk], ignore_conflicts=True)
        list(ScopeCount.objects.select_for_update().filter(path__in=chunk).order_by("path").values_list("pk"))
    by_delta: dict[int, list[str]] = defaultdict(list)
    for path in paths:
        by_delta[deltas[path]].append(path)
    for n, group in by_delta.items():
        for chunk in _chunks(group):
            ScopeCount.objects.filter(path__in=chunk).update(people=F("people") + n)


def insert_rows(rows: list[tuple]) -> None:
    """Insert index rows (COLUMNS), sorted as the unique index is: an import of 100,000
    people writes well over a million rows, and in index order they cost a quarter less."""
    rows.sort(key=lambda row: (row[1], row[2], row[0]))
    bulk.insert_rows(PersonToken._meta.db_table, COLUMNS, rows)


def _chunks(items: list, size: int = 2000):
    """The items (ids, paths) in slices short enough for an IN (…) list."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _society_paths(person_ids: list[int]) -> dict[int, list[str]]:
    paths: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(person_ids):
        memberships = SocietyMembership.objects.filter(person_id__in=chunk)
        for person_id, path in memberships.values_list("person_id", "society__path"):
            paths[person_id].append(path)
    return paths


def _active_people(person_ids: list[int]):
    """(pk, name, sort key, keeper's path) of the active people among these ids."""
    return Person.objects.filter(pk__in=person_ids, status=PersonStatus.ACTIVE).values_list(
        "pk", "name", "sort_key", "organization__path"
    )


def reindex_people(person_ids: Iterable[int]) -> None:
    """Rewrite the index rows of these people from their records (anonymized people have
    none: they leave search and lists)."""
    person_ids = sorted(set(person_ids))
    if not person_ids:
        return
    rows, in_scope, removed = [], [], Counter()
    society_paths = _society_paths(person_ids)
    for chunk in _chunks(person_ids):
        PersonToken.objects.filter(person_id__in=chunk).delete()
        removed += delete_scope_rows(PersonInScope.objects.filter(person_id__in=chunk))
        for pk, name, sort_key, keeper_path in _active_people(chunk):
            paths = places(keeper_path, society_paths.get(pk, ()))
            rows.extend(token_rows(pk, name, sort_key, paths))
            in_scope.extend(scope_rows(pk, sort_key, paths))
    insert_rows(rows)
    insert_scope_rows(in_scope, removed=removed)


def place_new_members(person_ids: Iterable[int]) -> None:
    """Add the places that new memberships give these people: rows for a society outside
    the keeper's branch that they are not yet seen from. Insert only (a membership never
    takes a place away), so admitting a whole roster writes only what is new."""
    person_ids = sorted(set(person_ids))
    if not person_ids:
        return
    rows, in_scope = [], []
    society_paths = _society_paths(person_ids)
    for chunk in _chunks(person_ids):
        seen: dict[int, set[str]] = defaultdict(set)
        everyone = PersonToken.objects.filter(person_id__in=chunk, token=PersonToken.EVERYONE)
        for person_id, path in everyone.values_list("person_id", "path"):
            seen[person_id].add(path)
        for pk, name, sort_key, keeper_path in _active_people(chunk):
            wanted = places(keeper_path, society_paths.get(pk, ()))
            missing = [path for path in wanted if path not in seen[pk]]
            if missing:
                rows.extend(token_rows(pk, name, sort_key, missing))
                new_scopes = scope_paths(missing) - scope_paths(seen[pk])
                in_scope.extend((pk, path, sort_key) for path in new_scopes)
    insert_rows(rows)
    insert_scope_rows(in_scope)


def index_new_people(people: list[Person], keeper_path: str) -> None:
    """Index people just created under one keeper (no memberships yet): bulk imports."""
    rows, in_scope = [], []
    for person in people:
        rows.extend(token_rows(person.pk, person.name, person.sort_key, [keeper_path]))
        in_scope.extend(scope_rows(person.pk, person.sort_key, [keeper_path]))
    insert_rows(rows)
    insert_scope_rows(in_scope)


def organization_moved(sender, *, old_path: str, new_path: str, **kwargs) -> None:
    """An organization's branch moved from old_path to new_path (orgs.signals): its places
    move with it, and the members of its societies are placed again (a society that left
    its members' keeper's branch now needs a place of its own). Everyone seen from the
    branch is seen from other ancestors now: their PersonInScope rows are written again."""
    from kexie.orgs.models import path_upper_bound

    PersonToken.objects.filter(path__gte=old_path, path__lt=path_upper_bound(old_path)).update(
        path=Concat(
            Value(new_path), Substr("path", len(old_path) + 1, Length("path")), output_field=CharField()
        )
    )
    branch = {"path__gte": new_path, "path__lt": path_upper_bound(new_path)}
    members = SocietyMembership.objects.filter(
        society__path__gte=new_path, society__path__lt=path_upper_bound(new_path), person__isnull=False
    )
    member_ids = set(members.values_list("person_id", flat=True))
    reindex_people(member_ids)
    seen_here = PersonToken.objects.filter(token=PersonToken.EVERYONE, **branch).values_list(
        "person_id", flat=True
    )
    rescope_people(set(seen_here) - member_ids)


def rescope_people(person_ids: Iterable[int]) -> None:
    """Rewrite the PersonInScope rows of these people from their places (their EVERYONE rows)."""
    person_ids = sorted(set(person_ids))
    in_scope, removed = [], Counter()
    for chunk in _chunks(person_ids):
        removed += delete_scope_rows(PersonInScope.objects.filter(person_id__in=chunk))
        places_of: dict[int, list[str]] = defaultdict(list)
        sort_keys: dict[int, str] = {}
        everyone = PersonToken.objects.filter(person_id__in=chunk, token=PersonToken.EVERYONE)
        for person_id, path, sort_key in everyone.values_list("person_id", "path", "sort_key"):
            places_of[person_id].append(path)
            sort_keys[person_id] = sort_key
        for person_id, paths in places_of.items():
            in_scope.extend(scope_rows(person_id, sort_keys[person_id], paths))
    insert_scope_rows(in_scope, removed=removed)


def scope_counts_recount() -> dict[str, tuple[int, int]]:
    """Make every ScopeCount what PersonInScope holds, in one transaction with its audit
    record; return the paths that were wrong as {path: (kept, counted)}. The services keep
    the counts (decision 0009); this repairs a database written around them (rows deleted
    by hand, a restore of one table)."""
    from django.db import transaction

    from kexie.audit.services import record

    with transaction.atomic():
        list(ScopeCount.objects.select_for_update().order_by("path").values_list("pk"))
        counted = dict(PersonInScope.objects.order_by().values_list("path").annotate(n=Count("*")))
        kept = dict(ScopeCount.objects.values_list("path", "people"))
        wrong = {
            path: (kept.get(path, 0), counted.get(path, 0))
            for path in sorted(set(counted) | set(kept))
            if kept.get(path, 0) != counted.get(path, 0)
        }
        _count_in_scopes({path: right - was for path, (was, right) in wrong.items()})
        record(
            None,
            "person.scope_recount",
            None,
            username="manage.py people_recount",
            paths=len(counted),
            corrected=len(wrong),
        )
    return wrong
