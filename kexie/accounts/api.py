"""/api/v1/me/: who the caller is, which memberships they hold, and switching between them.

These endpoints are about the caller themself, not tenant data, so they only need a
logged-in user: an account without any role still sees itself (with no active membership).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kexie.core.scoping import Scope, resolve_scope

from . import services
from .serializers import MembershipOutputSerializer, MeOutputSerializer

ME = ["me"]
UNAUTHENTICATED = {401: OpenApiResponse(description="Not authenticated.")}


def _me(user, scope: Scope | None) -> dict:
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": str(user),
        "active_membership": scope.membership if scope else None,
        "permissions": sorted(scope.permissions) if scope else [],
    }


def _context(scope: Scope | None) -> dict:
    return {"current_membership_id": scope.membership.pk if scope else None}


class MeAPI(APIView):
    """The caller, the membership their requests are scoped to, and what its role may do."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=ME,
        summary="The caller and their active membership",
        responses={200: MeOutputSerializer, **UNAUTHENTICATED},
    )
    def get(self, request):
        scope = request.scope or None
        return Response(MeOutputSerializer(_me(request.user, scope), context=_context(scope)).data)


class MembershipListAPI(APIView):
    """Every membership (organization and role) the caller holds, revoked ones included."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=ME,
        summary="The caller's memberships",
        responses={200: MembershipOutputSerializer(many=True), **UNAUTHENTICATED},
    )
    def get(self, request):
        scope = request.scope or None
        memberships = request.user.memberships.select_related("organization").order_by("-is_active", "pk")
        return Response(MembershipOutputSerializer(memberships, many=True, context=_context(scope)).data)


class MembershipActivateAPI(APIView):
    """Switch the membership the caller's requests are scoped to."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=ME,
        operation_id="v1_me_memberships_activate",
        summary="Work in another of your memberships (organization and role)",
        request=None,
        responses={
            200: MeOutputSerializer,
            400: OpenApiResponse(description="This membership has been revoked."),
            404: OpenApiResponse(description="You hold no such membership."),
            **UNAUTHENTICATED,
        },
    )
    def post(self, request, pk):
        # Only the caller's own memberships exist here; anyone else's is a 404.
        membership = get_object_or_404(request.user.memberships.select_related("organization"), pk=pk)
        user = services.membership_activate(actor=request.user, membership=membership)
        scope = resolve_scope(request)
        return Response(MeOutputSerializer(_me(user, scope), context=_context(scope)).data)
