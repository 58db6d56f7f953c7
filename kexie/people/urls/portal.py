"""Routes: see kexie/people/urls/__init__.py.

Consents, anonymizing and portal accounts (staff, views/privacy.py); the personal portal
(the person themselves, views/portal.py); talent-pool statistics (views/statistics.py).
"""

from django.urls import path

from kexie.people.views import portal, privacy, statistics

urlpatterns = [
    path("<int:pk>/consents/new/", privacy.consent_create, name="consent_create"),
    path("consents/<int:pk>/withdraw/", privacy.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/anonymize/", privacy.anonymize, name="anonymize"),
    path("<int:pk>/portal-account/", privacy.portal_account, name="portal_account"),
    path("<int:pk>/portal-account/disable/", privacy.portal_account_disable, name="portal_account_disable"),
    path("me/", portal.me, name="me"),
    path("me/edit/", portal.me_edit, name="me_edit"),
    path("me/download/", portal.me_download, name="me_download"),
    path("stats/", statistics.stats, name="stats"),
    path("stats/export.xlsx", statistics.stats_export, name="stats_export"),
]
