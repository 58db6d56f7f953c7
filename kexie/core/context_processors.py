from django.conf import settings


def scope(request):
    """The active scope and the user's other memberships, for the navigation bar."""
    current = getattr(request, "scope", None)
    if not current:
        return {"scope": None}
    memberships = (
        request.user.memberships.filter(is_active=True, organization__status="active")
        .select_related("organization")
        .order_by("organization__path")
    )
    return {
        "scope": current,
        "perms_in_scope": {str(p) for p in current.permissions},
        "user_memberships": memberships,
        "kexie_idle_seconds": settings.KEXIE_SESSION_IDLE_SECONDS,
    }
