"""/api/v1/ routes of the talent pool (names: people_api:<name>)."""

app_name = "people_api"

urlpatterns = []
