"""Staff pages of the volunteer service (names: volunteers:<name>)."""

from django.urls import path

from kexie.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.board, name="board"),
    path("export/", views.board_export, name="board_export"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/<slug:step>/", views.order_step, name="order_step"),
    path("people/", views.volunteer_list, name="volunteers"),
    path("people/<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("teams/", views.team_list, name="teams"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("menu/", views.menu, name="menu"),
    path("menu/<int:pk>/<slug:step>/", views.menu_item_step, name="menu_item_step"),
    path("hours/", views.hours, name="hours"),
    path("hours/<int:pk>/<slug:step>/", views.hours_step, name="hours_step"),
]
