"""Public pages (no login): open activities, sign-up, check-in (names: events:<name>)."""

from django.urls import path

from kexie.activities import views_public as views

app_name = "events"

urlpatterns = [
    path("", views.upcoming, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/checkin/<str:door_token>/", views.door, name="door"),
    path("t/<str:token>/", views.ticket, name="ticket"),
    path("t/<str:token>/cancel/", views.ticket_cancel, name="ticket_cancel"),
]
