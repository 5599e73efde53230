from django.urls import path

from samverkan import document_views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", document_views.document_status, name="status"),
    path("<int:pk>/hamta/", document_views.document_download, name="download"),
    path("<int:pk>/forsok-igen/", document_views.document_retry, name="retry"),
]
