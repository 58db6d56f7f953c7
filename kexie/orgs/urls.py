from django.urls import path

from .views import browse, edit, importing

app_name = "orgs"

urlpatterns = [
    # Reading the network (views/browse.py)
    path("orgs/overview/", browse.overview, name="overview"),
    path("orgs/tree/", browse.tree, name="tree"),
    path("orgs/tree/<int:pk>/children/", browse.tree_children, name="tree_children"),
    path("orgs/", browse.organization_list, name="list"),
    path("orgs/export.xlsx", browse.organization_export, name="export"),
    path("orgs/reelections/", browse.reelection_list, name="reelections"),
    path("orgs/stats/", browse.statistics, name="stats"),
    path("orgs/stats/export.xlsx", browse.statistics_export, name="stats_export"),
    path("orgs/<int:pk>/", browse.organization_detail, name="detail"),
    path("orgs/<int:pk>/contact/", browse.contact_reveal, name="contact_reveal"),
    # Changing it (views/edit.py)
    path("orgs/new/", edit.organization_create, name="create"),
    path("orgs/<int:pk>/edit/", edit.organization_update, name="update"),
    path("orgs/<int:pk>/move/", edit.organization_move, name="move"),
    path("orgs/<int:pk>/dissolve/", edit.organization_dissolve, name="dissolve"),
    path("orgs/<int:pk>/board-terms/new/", edit.board_term_create, name="board_term_create"),
    path("orgs/<int:pk>/leaders/new/", edit.leader_appoint, name="leader_appoint"),
    path("orgs/<int:pk>/party-coverage/", edit.party_coverage, name="party_coverage"),
    # Importing from .xlsx (views/importing.py)
    path("orgs/import/", importing.import_upload, name="import"),
    path("orgs/import/template.xlsx", importing.import_template, name="import_template"),
    path("orgs/import/<str:token>/", importing.import_preview, name="import_preview"),
]
