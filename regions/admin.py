from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from core.importexport import ImportExportAdmin
from regions.models import (
    AgendaItem,
    AuditEvent,
    Body,
    Decision,
    HealthcareRegion,
    Meeting,
    Membership,
    Person,
    Region,
    RoleGroup,
    User,
)
from regions.resources import BodyResource, MembershipResource, PersonResource


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Demo", {"fields": ("is_demo",)}))
    list_display = ("username", "first_name", "last_name", "email", "is_demo", "is_staff")
    list_filter = ("is_demo", "is_staff", "is_superuser", "groups")


@admin.register(HealthcareRegion)
class HealthcareRegionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("short_name",)}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("scb_code", "name", "healthcare_region", "cooperates_with")
    list_filter = ("healthcare_region",)
    list_select_related = ("healthcare_region", "cooperates_with")


@admin.register(RoleGroup)
class RoleGroupAdmin(admin.ModelAdmin):
    list_display = ("group", "role", "healthcare_region", "region")
    list_filter = ("role",)
    list_select_related = ("group", "healthcare_region", "region")


@admin.register(Body)
class BodyAdmin(ImportExportAdmin):
    resource_classes = [BodyResource]
    list_display = ("name", "kind", "healthcare_region", "parent")
    list_filter = ("healthcare_region", "kind")
    list_select_related = ("healthcare_region", "parent")
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(ImportExportAdmin):
    resource_classes = [PersonResource]
    list_display = ("last_name", "first_name", "title", "email", "user")
    search_fields = ("first_name", "last_name", "email")
    raw_id_fields = ("user",)


@admin.register(Membership)
class MembershipAdmin(ImportExportAdmin):
    resource_classes = [MembershipResource]
    list_display = ("person", "body", "region", "role", "starts_on", "ends_on")
    list_filter = ("body__healthcare_region", "role")
    list_select_related = ("person", "body", "region")
    raw_id_fields = ("person",)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("date", "body", "place", "is_published")
    list_filter = ("body__healthcare_region", "is_published")
    list_select_related = ("body",)
    inlines = [AgendaItemInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("paragraph", "title", "meeting")
    list_select_related = ("meeting__body",)
    search_fields = ("title", "text")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the record is written by the services and never changed (a trigger)."""

    list_display = ["at", "action", "actor_label", "subject_label", "healthcare_region", "region"]
    list_filter = ["action", "healthcare_region"]
    search_fields = ["actor_label", "subject_label"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
