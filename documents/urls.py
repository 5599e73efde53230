from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.document_status, name="status"),
    path("<int:pk>/hamta/", views.document_download, name="download"),
    path("<int:pk>/forsok-igen/", views.document_retry, name="retry"),
]
