"""Staff pages of sign-ups and check-in, added to the `activities` namespace by urls.py."""

from django.urls import path

from kexie.activities import views_signups as views

urlpatterns = [
    path("<int:pk>/signups/panel/", views.signup_panel, name="signup_panel"),
    path("<int:pk>/signups/", views.signup_list, name="signup_list"),
    path("<int:pk>/signups/settings/", views.signup_settings, name="signup_settings"),
    path("<int:pk>/signups/reveal/", views.signup_reveal, name="signup_reveal"),
    path("<int:pk>/signups/export/", views.signup_export, name="signup_export"),
    path("<int:pk>/signups/door/", views.signup_door, name="signup_door"),
    path("<int:pk>/signups/onsite/", views.signup_onsite, name="signup_onsite"),
    path("<int:pk>/checkin/", views.checkin, name="checkin"),
    path("signups/<int:pk>/cancel/", views.signup_cancel, name="signup_cancel"),
    path("signups/<int:pk>/checkin/", views.signup_checkin, name="signup_checkin"),
]
