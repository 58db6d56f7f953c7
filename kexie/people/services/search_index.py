"""Keeping PersonToken, the search and list index of people, in step with what it copies.

Every row is (key of the name, place the person is seen from, rank of the key, pinyin sort
key). Whatever changes one of those — a person created, renamed, moved to another keeper,
anonymized; a membership created; an organization moved — calls one function here, inside
the caller's transaction, so the index never disagrees with the records (decision 0006).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import CharField, Value
from django.db.models.functions import Concat, Length, Substr

from kexie.core import bulk
from kexie.core.chinese import person_name_keys
from kexie.people.models import Person, PersonStatus, PersonToken, SocietyMembership

COLUMNS = ("person_id", "token", "path", "rank", "sort_key")


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


def insert_rows(rows: list[tuple]) -> None:
    """Insert index rows (COLUMNS), sorted as the unique index is: an import of 100,000
    people writes well over a million rows, and in index order they cost a quarter less."""
    rows.sort(key=lambda row: (row[1], row[2], row[0]))
    bulk.insert_rows(PersonToken._meta.db_table, COLUMNS, rows)


def _society_paths(person_ids: list[int]) -> dict[int, list[str]]:
    paths: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(person_ids), 2000):
        memberships = SocietyMembership.objects.filter(person_id__in=person_ids[start : start + 2000])
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
    rows = []
    society_paths = _society_paths(person_ids)
    for start in range(0, len(person_ids), 2000):
        chunk = person_ids[start : start + 2000]
        PersonToken.objects.filter(person_id__in=chunk).delete()
        for pk, name, sort_key, keeper_path in _active_people(chunk):
            rows.extend(token_rows(pk, name, sort_key, places(keeper_path, society_paths.get(pk, ()))))
    insert_rows(rows)


def place_new_members(person_ids: Iterable[int]) -> None:
    """Add the places that new memberships give these people: rows for a society outside
    the keeper's branch that they are not yet seen from. Insert only (a membership never
    takes a place away), so admitting a whole roster writes only what is new."""
    person_ids = sorted(set(person_ids))
    if not person_ids:
        return
    rows = []
    society_paths = _society_paths(person_ids)
    for start in range(0, len(person_ids), 2000):
        chunk = person_ids[start : start + 2000]
        seen: dict[int, set[str]] = defaultdict(set)
        everyone = PersonToken.objects.filter(person_id__in=chunk, token=PersonToken.EVERYONE)
        for person_id, path in everyone.values_list("person_id", "path"):
            seen[person_id].add(path)
        for pk, name, sort_key, keeper_path in _active_people(chunk):
            wanted = places(keeper_path, society_paths.get(pk, ()))
            missing = [path for path in wanted if path not in seen[pk]]
            if missing:
                rows.extend(token_rows(pk, name, sort_key, missing))
    insert_rows(rows)


def index_new_people(people: list[Person], keeper_path: str) -> None:
    """Index people just created under one keeper (no memberships yet): bulk imports."""
    rows = []
    for person in people:
        rows.extend(token_rows(person.pk, person.name, person.sort_key, [keeper_path]))
    insert_rows(rows)


def organization_moved(sender, *, old_path: str, new_path: str, **kwargs) -> None:
    """An organization's branch moved from old_path to new_path (orgs.signals): its places
    move with it, and the members of its societies are placed again (a society that left
    its members' keeper's branch now needs a place of its own)."""
    from kexie.orgs.models import path_upper_bound

    PersonToken.objects.filter(path__gte=old_path, path__lt=path_upper_bound(old_path)).update(
        path=Concat(
            Value(new_path), Substr("path", len(old_path) + 1, Length("path")), output_field=CharField()
        )
    )
    members = SocietyMembership.objects.filter(
        society__path__gte=new_path, society__path__lt=path_upper_bound(new_path), person__isnull=False
    )
    reindex_people(members.values_list("person_id", flat=True))
