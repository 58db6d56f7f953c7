"""The volunteer's own pages (names: volunteers_portal:<name>)."""

from django.urls import path

from kexie.volunteers import views_portal as views

app_name = "volunteers_portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("hours/", views.hours_enter, name="hours_enter"),
    path("certificate.docx", views.certificate, name="certificate"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("orders/<int:pk>/<slug:step>/", views.order_step, name="order_step"),
]
