from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samverkan import health, views
from samverkan.auth import (
    PortalAdminAuthenticationForm,
    PortalAuthenticationForm,
    QueuedPasswordResetForm,
)

# Admin's log-in says in Swedish why a locked-out user name and address are refused.
admin.site.login_form = PortalAdminAuthenticationForm

account_patterns = [
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "glomt-losenord/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.start, name="start"),
    path("health/", health.health, name="health"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    path("konto/", include(account_patterns)),
    path("admin/", admin.site.urls),
    path("dokument/", include("documents.urls")),
    path("<slug:hr>/planering/", include("plans.urls")),
    path("<slug:hr>/kunskapsstyrning/", include("knowledge.urls")),
    path("<slug:hr>/prislistor/", include("pricing.urls")),
    path("<slug:hr>/", include("regions.urls")),
]

handler404 = "samverkan.views.not_found"
handler403 = "samverkan.views.forbidden"
handler500 = "samverkan.views.server_error"
