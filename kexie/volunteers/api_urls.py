"""/api/v1/volunteers/ routes (names: volunteers_api:<name>)."""

app_name = "volunteers_api"

urlpatterns = []
