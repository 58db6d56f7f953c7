"""Routes of the talent pool (names: people:<name>), one module per area beside its views."""

from . import importing, members, people, portal, records, units

app_name = "people"

urlpatterns = [
    *people.urlpatterns,  # people: search, profile, forms, reveal, export (views/people.py)
    *units.urlpatterns,  # units and teams (views/units.py)
    *members.urlpatterns,  # society rosters, dues, board seats (views/members.py)
    *records.urlpatterns,  # honours, visits, talent lists, disciplines and tags (views/records.py)
    *importing.urlpatterns,  # .xlsx import wizards (views/importing.py)
    *portal.urlpatterns,  # consents, anonymizing, portal, statistics (views/privacy.py, views/portal.py)
]
