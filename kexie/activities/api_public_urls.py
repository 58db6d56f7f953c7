"""/api/v1/ routes of public sign-up (names: events_api:<name>)."""

from django.urls import path

from kexie.activities import api_public as api

app_name = "events_api"

urlpatterns = [
    path("events/", api.EventListAPI.as_view(), name="event_list"),
    path("events/<int:pk>/", api.EventDetailAPI.as_view(), name="event_detail"),
    path("events/<int:pk>/signups/", api.SignupCreateAPI.as_view(), name="signup_create"),
]
