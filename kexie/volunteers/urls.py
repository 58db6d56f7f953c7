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
    path("people/new/", views.volunteer_create, name="volunteer_create"),
    path("people/<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("people/<int:pk>/edit/", views.volunteer_update, name="volunteer_update"),
    path("people/<int:pk>/certificate.docx", views.volunteer_certificate, name="volunteer_certificate"),
    path("people/<int:pk>/<slug:step>/", views.volunteer_step, name="volunteer_step"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/edit/", views.team_update, name="team_update"),
    path("teams/<int:pk>/<slug:step>/", views.team_step, name="team_step"),
    path("menu/", views.menu, name="menu"),
    path("menu/new/", views.menu_item_create, name="menu_item_create"),
    path("menu/<int:pk>/edit/", views.menu_item_update, name="menu_item_update"),
    path("menu/<int:pk>/<slug:step>/", views.menu_item_step, name="menu_item_step"),
    path("hours/", views.hours, name="hours"),
    path("hours/ledger/", views.ledger, name="ledger"),
    path("hours/ledger/export/", views.ledger_export, name="ledger_export"),
    path("hours/<int:pk>/<slug:step>/", views.hours_step, name="hours_step"),
    path("settings/", views.settings_page, name="settings"),
]
