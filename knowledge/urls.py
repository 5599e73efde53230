from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.section, name="section"),
    path("nationellt/", views.national, name="national"),
    path("sok/", views.search, name="search"),
    path("grupper/ny/", views.group_create, name="group_create"),
    path("grupper/<int:pk>/", views.group_detail, name="group"),
    path("grupper/<int:pk>/andra/", views.group_update, name="group_update"),
    path("grupper/<int:pk>/uppdrag/", views.group_mandate, name="group_mandate"),
    path(
        "grupper/<int:pk>/ledamoter/ny/",
        views.group_membership_create,
        name="group_membership_create",
    ),
    path("ledamoter/<int:pk>/avsluta/", views.group_membership_end, name="group_membership_end"),
    path("kunskapsrad/nytt/", views.council_create, name="council_create"),
    path("kunskapsrad/<int:pk>/", views.council_detail, name="council"),
    path(
        "kunskapsrad/<int:pk>/ledamoter/ny/",
        views.council_membership_create,
        name="council_membership_create",
    ),
    path(
        "kunskapsrad/ledamoter/<int:pk>/avsluta/",
        views.council_membership_end,
        name="council_membership_end",
    ),
    path("vardskap/nytt/", views.hosting_create, name="hosting_create"),
    path("lofte-och-mal/", views.goals, name="goals"),
    path("mal/nytt/", views.goal_create, name="goal_create"),
    path("mal/<int:pk>/", views.goal_detail, name="goal"),
    path("mal/<int:pk>/andra/", views.goal_update, name="goal_update"),
    path("mal/<int:pk>/indikatorer/ny/", views.indicator_create, name="indicator_create"),
    path("indikatorer/<int:pk>/andra/", views.indicator_update, name="indicator_update"),
    path(
        "indikatorer/<int:pk>/varden/nytt/",
        views.indicator_value_create,
        name="indicator_value_create",
    ),
    path("indikatorer/<int:pk>/ladda-upp/", views.indicator_upload, name="indicator_upload"),
]
