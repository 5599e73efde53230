from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("", views.healthcare_region_start, name="healthcare_region"),
    path("om/", views.healthcare_region_about, name="about"),
    path("organ/<int:pk>/", views.body_detail, name="body"),
    path("organ/<int:pk>/uppdrag/nytt/", views.membership_create, name="membership_create"),
    path("uppdrag/<int:pk>/andra/", views.membership_update, name="membership_update"),
    path("uppdrag/<int:pk>/avsluta/", views.membership_end, name="membership_end"),
    path("sammantraden/", views.meeting_list, name="meetings"),
    path("sammantraden/nytt/", views.meeting_create, name="meeting_create"),
    path("sammantraden/<int:pk>/", views.meeting_detail, name="meeting"),
    path("sammantraden/<int:pk>/andra/", views.meeting_update, name="meeting_update"),
    path("sammantraden/<int:pk>/publicera/", views.meeting_publish, name="meeting_publish"),
    path("sammantraden/<int:pk>/arenden/nytt/", views.agenda_item_edit, name="agenda_item_create"),
    path(
        "sammantraden/<int:pk>/arenden/<int:item_pk>/andra/",
        views.agenda_item_edit,
        name="agenda_item_update",
    ),
    path(
        "sammantraden/<int:pk>/arenden/<int:item_pk>/ta-bort/",
        views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path("sammantraden/<int:pk>/beslut/nytt/", views.decision_edit, name="decision_create"),
    path(
        "sammantraden/<int:pk>/beslut/<int:decision_pk>/andra/",
        views.decision_edit,
        name="decision_update",
    ),
    path(
        "sammantraden/<int:pk>/beslut/<int:decision_pk>/ta-bort/",
        views.decision_delete,
        name="decision_delete",
    ),
    path("historik/", views.history, name="history"),
]
