from django.urls import include, path, register_converter

from plans import views
from plans.models import ActivityPlan, OperationalPlan

app_name = "plans"


class ExportFormat:
    regex = "xlsx|ods|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "exportformat")

OP = {"model": OperationalPlan}
AP = {"model": ActivityPlan}

urlpatterns = [
    path("", views.section, name="section"),
    # Verksamhetsplaner
    path("verksamhetsplaner/ny/", views.operational_plan_create, name="operational_plan_create"),
    path("verksamhetsplaner/<int:pk>/", views.operational_plan_detail, name="operational_plan"),
    path(
        "verksamhetsplaner/<int:pk>/andra/", views.plan_update, OP, name="operational_plan_update"
    ),
    path(
        "verksamhetsplaner/<int:pk>/status/",
        views.plan_transition,
        OP,
        name="operational_plan_transition",
    ),
    path(
        "verksamhetsplaner/<int:pk>/beslut/", views.plan_decide, OP, name="operational_plan_decide"
    ),
    path(
        "verksamhetsplaner/<int:pk>/ny-version/",
        views.plan_new_version,
        OP,
        name="operational_plan_new_version",
    ),
    path(
        "verksamhetsplaner/<int:pk>/jamfor/",
        views.plan_compare,
        OP,
        name="operational_plan_compare",
    ),
    path(
        "verksamhetsplaner/<int:pk>/historik/",
        views.plan_history,
        OP,
        name="operational_plan_history",
    ),
    path("verksamhetsplaner/<int:pk>/pdf/", views.plan_pdf, OP, name="operational_plan_pdf"),
    path("verksamhetsplaner/<int:pk>/avsnitt/ny/", views.section_edit, name="section_create"),
    path(
        "verksamhetsplaner/<int:pk>/avsnitt/<int:section_pk>/",
        views.section_edit,
        name="section_update",
    ),
    path(
        "verksamhetsplaner/<int:pk>/avsnitt/<int:section_pk>/flytta/",
        views.section_move,
        name="section_move",
    ),
    path(
        "verksamhetsplaner/<int:pk>/avsnitt/<int:section_pk>/ta-bort/",
        views.section_delete,
        name="section_delete",
    ),
    path(
        "verksamhetsplaner/<int:pk>/avsnitt/<int:section_pk>/mal/ny/",
        views.goal_edit,
        name="goal_create",
    ),
    path("verksamhetsplaner/<int:pk>/mal/<int:goal_pk>/", views.goal_edit, name="goal_update"),
    path("verksamhetsplaner/<int:pk>/mal/<int:goal_pk>/flytta/", views.goal_move, name="goal_move"),
    path(
        "verksamhetsplaner/<int:pk>/mal/<int:goal_pk>/ta-bort/",
        views.goal_delete,
        name="goal_delete",
    ),
    # Aktivitetsplaner
    path("aktivitetsplaner/ny/", views.activity_plan_create, name="activity_plan_create"),
    path("aktivitetsplaner/<int:pk>/", views.activity_plan_detail, name="activity_plan"),
    path("aktivitetsplaner/<int:pk>/andra/", views.plan_update, AP, name="activity_plan_update"),
    path(
        "aktivitetsplaner/<int:pk>/status/",
        views.plan_transition,
        AP,
        name="activity_plan_transition",
    ),
    path("aktivitetsplaner/<int:pk>/beslut/", views.plan_decide, AP, name="activity_plan_decide"),
    path(
        "aktivitetsplaner/<int:pk>/ny-version/",
        views.plan_new_version,
        AP,
        name="activity_plan_new_version",
    ),
    path("aktivitetsplaner/<int:pk>/jamfor/", views.plan_compare, AP, name="activity_plan_compare"),
    path(
        "aktivitetsplaner/<int:pk>/historik/", views.plan_history, AP, name="activity_plan_history"
    ),
    path("aktivitetsplaner/<int:pk>/pdf/", views.plan_pdf, AP, name="activity_plan_pdf"),
    path(
        "aktivitetsplaner/<int:pk>/nasta-ar/",
        views.activity_plan_next_year,
        name="activity_plan_next_year",
    ),
    path(
        "aktivitetsplaner/<int:pk>/export.<exportformat:fmt>",
        views.activity_plan_export,
        name="activity_plan_export",
    ),
    path("aktivitetsplaner/<int:pk>/las-in/", views.activity_import, name="activity_import"),
    path(
        "aktivitetsplaner/<int:pk>/fokusomraden/ny/",
        views.focus_area_edit,
        name="focus_area_create",
    ),
    path(
        "aktivitetsplaner/<int:pk>/fokusomraden/<int:focus_area_pk>/",
        views.focus_area_edit,
        name="focus_area_update",
    ),
    path(
        "aktivitetsplaner/<int:pk>/fokusomraden/<int:focus_area_pk>/flytta/",
        views.focus_area_move,
        name="focus_area_move",
    ),
    path(
        "aktivitetsplaner/<int:pk>/fokusomraden/<int:focus_area_pk>/ta-bort/",
        views.focus_area_delete,
        name="focus_area_delete",
    ),
    path(
        "aktivitetsplaner/<int:pk>/fokusomraden/<int:focus_area_pk>/aktiviteter/ny/",
        views.activity_edit,
        name="activity_create",
    ),
    path(
        "aktivitetsplaner/<int:pk>/aktiviteter/<int:activity_pk>/",
        views.activity_edit,
        name="activity_update",
    ),
    path(
        "aktivitetsplaner/<int:pk>/aktiviteter/<int:activity_pk>/flytta/",
        views.activity_move,
        name="activity_move",
    ),
    path(
        "aktivitetsplaner/<int:pk>/aktiviteter/<int:activity_pk>/ta-bort/",
        views.activity_delete,
        name="activity_delete",
    ),
    path("", include("plans.followups.urls")),  # återrapporter
]
