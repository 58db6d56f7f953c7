"""Every people test ends with the kept scope counts equal to the list index they count."""

import pytest


@pytest.fixture(autouse=True)
def scope_counts_stay_true(request):
    """After each test that used the database: ScopeCount holds, for every path, the number
    of PersonInScope rows (decision 0009), whatever the test wrote through the services."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        yield
        return
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    from django.db.models import Count

    from kexie.people.models import PersonInScope, ScopeCount

    counted = dict(PersonInScope.objects.order_by().values_list("path").annotate(n=Count("*")))
    kept = {path: n for path, n in ScopeCount.objects.values_list("path", "people") if n}
    assert kept == counted, "ScopeCount differs from PersonInScope"
