"""/api/v1/ routes of the platform's own settings (names: core_api:<name>)."""

from django.urls import path

from kexie.core import api_calendar

app_name = "core_api"

urlpatterns = [
    path("calendar/", api_calendar.CalendarAPI.as_view(), name="calendar"),
    path("calendar/<str:day>/", api_calendar.CalendarDayAPI.as_view(), name="calendar_day"),
]
