"""The in-app inbox: every logged-in user reads their own notifications (others' are 404)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kexie.core.listing import page_of, page_range
from kexie.notifications import selectors, services
from kexie.notifications.models import Notification


@login_required
def inbox(request):
    page = page_of(request, selectors.inbox(user=request.user))
    context = {
        "page_obj": page,
        "page_range": page_range(page),
        "unread": selectors.unread_count(user=request.user),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
def unread_count(request):
    """The unread badge (loaded by htmx from the navigation bar)."""
    return render(
        request, "notifications/_unread_badge.html", {"unread": selectors.unread_count(user=request.user)}
    )


@login_required
@require_POST
def read(request, pk):
    """Mark a notification read and follow its link (a path on this site) or go back."""
    try:
        notification = services.notification_read(
            user=request.user, notification=selectors.notification_get(user=request.user, pk=pk)
        )
    except (Notification.DoesNotExist, ValueError):
        raise Http404 from None
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    services.notifications_read_all(user=request.user)
    return redirect("notifications:inbox")
