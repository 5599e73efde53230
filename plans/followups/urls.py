from django.urls import path

from plans.followups import views

# Included from plans.urls, inside its app_name "plans".
urlpatterns = [
    path("aterrapporter/", views.followup_list, name="followup_list"),
    path("aterrapporter/ny/", views.followup_create, name="followup_create"),
    path("aterrapporter/<int:pk>/", views.followup_detail, name="followup"),
    path("aterrapporter/<int:pk>/andra/", views.followup_update, name="followup_update"),
    path(
        "aterrapporter/<int:pk>/aktiviteter/<int:follow_up_pk>/",
        views.follow_up_write,
        name="followup_write",
    ),
    path(
        "aterrapporter/<int:pk>/aktiviteter/<int:follow_up_pk>/kommentera/",
        views.comment_create,
        name="followup_comment",
    ),
    path(
        "aterrapporter/<int:pk>/fokusomraden/<int:section_pk>/klar/",
        views.section_ready,
        name="followup_section_ready",
    ),
    path(
        "aterrapporter/<int:pk>/kommentarer/<int:comment_pk>/hanterad/",
        views.comment_handled,
        name="followup_comment_handled",
    ),
    path("aterrapporter/<int:pk>/skicka/", views.followup_send, name="followup_send"),
    path("aterrapporter/<int:pk>/beslut/", views.followup_decide, name="followup_decide"),
    path("aterrapporter/<int:pk>/pdf/", views.followup_pdf, name="followup_pdf"),
    path("aterrapporter/<int:pk>/historik/", views.followup_history, name="followup_history"),
]
