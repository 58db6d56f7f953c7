"""/api/v1/volunteers/ routes (names: volunteers_api:<name>)."""

from django.urls import path

from . import api

app_name = "volunteers_api"

urlpatterns = [
    path("", api.VolunteerListAPI.as_view(), name="volunteer_list"),
    path("<int:pk>/", api.VolunteerDetailAPI.as_view(), name="volunteer_detail"),
    path("<int:pk>/hours/", api.VolunteerHoursAPI.as_view(), name="volunteer_hours"),
    path("teams/", api.TeamListAPI.as_view(), name="team_list"),
    path("teams/<int:pk>/", api.TeamDetailAPI.as_view(), name="team_detail"),
    path("menu-items/", api.MenuItemListAPI.as_view(), name="menu_item_list"),
    path("menu-items/<int:pk>/", api.MenuItemDetailAPI.as_view(), name="menu_item_detail"),
    path("orders/", api.OrderListAPI.as_view(), name="order_list"),
    path("orders/<int:pk>/", api.OrderDetailAPI.as_view(), name="order_detail"),
    path("orders/<int:pk>/suggestions/", api.OrderSuggestionsAPI.as_view(), name="order_suggestions"),
    path("orders/<int:pk>/approve/", api.OrderApproveAPI.as_view(), name="order_approve"),
    path("orders/<int:pk>/reject/", api.OrderRejectAPI.as_view(), name="order_reject"),
    path("orders/<int:pk>/pass-down/", api.OrderPassDownAPI.as_view(), name="order_pass_down"),
    path("orders/<int:pk>/dispatch/", api.OrderDispatchAPI.as_view(), name="order_dispatch"),
    path("orders/<int:pk>/open/", api.OrderOpenAPI.as_view(), name="order_open"),
    path("orders/<int:pk>/withdraw/", api.OrderWithdrawAPI.as_view(), name="order_withdraw"),
    path("orders/<int:pk>/accept/", api.OrderAcceptAPI.as_view(), name="order_accept"),
    path("orders/<int:pk>/decline/", api.OrderDeclineAPI.as_view(), name="order_decline"),
    path("orders/<int:pk>/deliver/", api.OrderDeliverAPI.as_view(), name="order_deliver"),
    path("orders/<int:pk>/cancel/", api.OrderCancelAPI.as_view(), name="order_cancel"),
]
