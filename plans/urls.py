from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.section, name="section"),
]
