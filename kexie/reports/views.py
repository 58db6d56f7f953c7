"""The dashboard: the home page of every staff user (see `dashboard.py`)."""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils import timezone

from kexie.accounts.roles import Perm, Role
from kexie.reports.dashboard import RANKING_SHOWN
from kexie.reports.dashboard import dashboard as dashboard_of
from kexie.reports.forms import DashboardForm
from kexie.statistics.definitions import all_definitions
from kexie.statistics.figures import trend_chart

# The separated administrators (三员) work in their own consoles; the dashboard is not theirs.
_ADMIN_LANDING = {
    Role.AUDIT_ADMIN: "audit:list",
    Role.SYSTEM_ADMIN: "accounts:user_list",
    Role.SECURITY_ADMIN: "accounts:membership_list",
}


def dashboard(request):
    """The landing page after login: the work of the active organization's network."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope = request.scope
    if scope and scope.role in _ADMIN_LANDING:
        return redirect(_ADMIN_LANDING[scope.role])
    if not scope and hasattr(request.user, "person"):
        # A scientist's own portal account: their profile is their home page.
        return redirect("people:me")
    if not scope or not scope.has(Perm.STATISTICS_VIEW):
        if scope and scope.has(Perm.ORG_VIEW):
            return redirect("orgs:overview")
        # No role yet (or none that reads the network): a friendly page, not a 403 at login.
        return render(request, "orgs/no_access.html")
    today = timezone.localdate()
    form = DashboardForm(request.GET or None, today=today)
    board = dashboard_of(
        scope=scope, period=form.period(), today=today, trend=form.trend_code(), rank=form.rank_code()
    )
    period = form.period_params()
    trend = [("trend", board.trend.code)]
    rank = [("rank", board.rank.code)]
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "form": form,
            "period": board.period,
            "year_choices": form.year_choices,
            "definitions": all_definitions(),
            "trend_chart": trend_chart(board.trend, board.monthly, board.monthly_last),
            "keep": {"period": trend + rank, "trend": period + rank, "rank": period + trend},
            "period_query": urlencode(period),
            "today": today,
            "ranking_limit": RANKING_SHOWN,
            "ranking_shown": f":{RANKING_SHOWN}",
        },
    )


dashboard.kexie_scoped = True  # it checks login and scope itself, so that no role gets a 403 at login
