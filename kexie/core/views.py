from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


def healthz(request):
    """Liveness for load balancers: the process answers and the database responds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def public_page(request, template: str, title: str, context: dict, *, status: int = 200):
    """A public page: the same look logged in or not (base.html has a block for each);
    `template` is the body included in activities/public/page.html."""
    context = {**context, "body_template": template, "page_title": title}
    return render(request, "activities/public/page.html", context, status=status)
