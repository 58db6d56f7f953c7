"""Public pages of the volunteer service (names: volunteers_public:<name>)."""

from django.urls import path

from kexie.volunteers import views_public as views

app_name = "volunteers_public"

urlpatterns = [
    path("", views.menu, name="menu"),
    path("order/", views.order, name="order"),
    path("orders/<str:token>/", views.order_status, name="order_status"),
    path("orders/<str:token>/rate/", views.order_rate, name="order_rate"),
    path("orders/<str:token>/cancel/", views.order_cancel, name="order_cancel"),
]
