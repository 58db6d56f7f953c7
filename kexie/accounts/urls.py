from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    # Everyone: logging in and out, one's own password, switching organization
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("switch/", views.switch, name="switch"),
    # System administrator: accounts
    path("users/", views.user_list, name="user_list"),
    path("users/export.xlsx", views.user_export, name="user_export"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/disable/", views.user_disable, name="user_disable"),
    path("users/<int:pk>/enable/", views.user_enable, name="user_enable"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    # Security administrator: roles and lockouts
    path("roles/", views.membership_list, name="membership_list"),
    path("roles/export.xlsx", views.membership_export, name="membership_export"),
    path("roles/new/", views.membership_grant, name="membership_grant"),
    path("roles/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/reset/", views.lockout_reset, name="lockout_reset"),
]
