from django.urls import path

from . import calendar_views

app_name = "core"

urlpatterns = [
    path("", calendar_views.calendar, name="calendar"),
    path("set/", calendar_views.calendar_set, name="calendar_set"),
    path("remove/", calendar_views.calendar_remove, name="calendar_remove"),
]
