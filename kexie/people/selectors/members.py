"""Reading societies' rosters, dues and boards."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from kexie.core.scoping import Scope
from kexie.orgs.models import BoardTerm, Organization, Status
from kexie.people.models import (
    BoardRole,
    BoardSeat,
    DuesPayment,
    MemberStatus,
    PersonStatus,
    SocietyMembership,
)
from kexie.people.selectors.people import search_tokens
from kexie.people.services.members import MEMBER_KINDS

INDIVIDUAL, INSTITUTIONAL = "individual", "institutional"

# Members shown on rosters and counted beside them: units, and people not anonymized.
_LISTED = Q(person__isnull=True) | Q(person__status=PersonStatus.ACTIVE)


def society_list(*, scope: Scope) -> QuerySet:
    """The active societies (and other bodies with members) in scope, with how many active
    individual and institutional members each has: the figures the rosters show."""
    active = Q(members__status=MemberStatus.ACTIVE)
    individual = active & Q(members__person__isnull=False, members__person__status=PersonStatus.ACTIVE)
    institutional = active & Q(members__unit__isnull=False)
    return (
        scope.organizations()
        .filter(kind__in=MEMBER_KINDS, status=Status.ACTIVE)
        .select_related("parent")
        .annotate(
            individual_count=Count("members", filter=individual, distinct=True),
            institutional_count=Count("members", filter=institutional, distinct=True),
        )
        .order_by("sort_key", "path")
    )


def is_member_body(organization: Organization) -> bool:
    return organization.kind in MEMBER_KINDS


@dataclass
class RosterFilter:
    status: str = ""  # a MemberStatus, or "" for all
    q: str = ""  # name (Chinese, pinyin, initials), unit name or membership number
    member_type: str = ""  # INDIVIDUAL, INSTITUTIONAL or "" for both


def roster(
    *, scope: Scope, society: Organization, filters: RosterFilter | None = None, year=None
) -> QuerySet:
    """A society's members, filtered, with `dues_paid` (the amount paid for `year`, by
    default this year; None when unpaid). Anonymized people are left out."""
    filters = filters or RosterFilter()
    year = year or timezone.localdate().year
    queryset = scope.filter(SocietyMembership.objects.filter(society=society), via="society").filter(_LISTED)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.member_type == INDIVIDUAL:
        queryset = queryset.filter(person__isnull=False)
    elif filters.member_type == INSTITUTIONAL:
        queryset = queryset.filter(unit__isnull=False)
    query = (filters.q or "").strip()
    if query:
        candidates, folded = search_tokens(query)
        matches = Q(number__icontains=query)
        if candidates is not None:
            matches |= Q(person_id__in=candidates) | Q(unit__search_text__contains=folded)
        queryset = queryset.filter(matches)
    paid = DuesPayment.objects.filter(membership=OuterRef("pk"), year=year).values("amount")[:1]
    return (
        queryset.select_related("person", "person__unit", "unit")
        .annotate(dues_paid=Subquery(paid))
        .order_by("number", "joined_on", "id")
    )


def current_term(*, society: Organization) -> BoardTerm | None:
    """The society's board term in office (from the foundation's board terms), if any."""
    return BoardTerm.objects.filter(organization=society, ended_on__isnull=True).order_by("-number").first()


def current_board(*, society: Organization) -> list[BoardSeat]:
    """The positions held now on the current board, by rank of position then pinyin."""
    term = current_term(society=society)
    if term is None:
        return []
    seats = (
        BoardSeat.objects.filter(board_term=term, ended_on__isnull=True, person__status=PersonStatus.ACTIVE)
        .select_related("person", "person__unit", "board_term")
        .order_by("person__sort_key", "id")
    )
    rank = {role: index for index, role in enumerate(BoardRole.values)}  # declared by rank
    return sorted(seats, key=lambda seat: rank.get(seat.role, len(rank)))


def member_dues(*, membership: SocietyMembership) -> QuerySet:
    return DuesPayment.objects.filter(membership=membership).order_by("-year")


def membership_get(*, scope: Scope, pk) -> SocietyMembership:
    """One membership of a society in scope, else 404 (also for an anonymized person's)."""
    from django.http import Http404

    membership = scope.get(
        SocietyMembership.objects.select_related("society", "person", "unit"), via="society", pk=pk
    )
    if membership.person_id and membership.person.is_anonymized:
        raise Http404
    return membership


def seat_get(*, scope: Scope, pk) -> BoardSeat:
    """One board position of a society in scope, else 404."""
    return scope.get(
        BoardSeat.objects.select_related("board_term__organization", "person"),
        via="board_term__organization",
        pk=pk,
    )
