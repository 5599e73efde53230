from django.contrib import admin

from core.importexport import ImportExportAdmin
from knowledge.models import (
    Goal,
    GroupKindName,
    Hosting,
    Indicator,
    IndicatorValue,
    KnowledgeCouncil,
    KnowledgeCouncilMembership,
    NationalGroup,
    NationalProgramArea,
    PatientPromise,
    RegionalGroup,
    RegionalGroupMembership,
)
from knowledge.resources import (
    NationalGroupResource,
    NationalProgramAreaResource,
    RegionalGroupMembershipResource,
    RegionalGroupResource,
)


class HostingInline(admin.TabularInline):
    model = Hosting
    extra = 0


@admin.register(NationalProgramArea)
class NationalProgramAreaAdmin(ImportExportAdmin):
    resource_classes = [NationalProgramAreaResource]
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)
    inlines = [HostingInline]


@admin.register(NationalGroup)
class NationalGroupAdmin(ImportExportAdmin):
    resource_classes = [NationalGroupResource]
    list_display = ("name", "kind", "slug")
    list_filter = ("kind",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Hosting)
class HostingAdmin(admin.ModelAdmin):
    list_display = ("program_area", "healthcare_region", "starts_on", "ends_on", "note")
    list_filter = ("healthcare_region",)
    list_select_related = ("program_area", "healthcare_region")


@admin.register(GroupKindName)
class GroupKindNameAdmin(admin.ModelAdmin):
    list_display = ("healthcare_region", "kind", "abbreviation", "name")
    list_select_related = ("healthcare_region",)


class CouncilMembershipInline(admin.TabularInline):
    model = KnowledgeCouncilMembership
    extra = 0
    raw_id_fields = ("person",)


@admin.register(KnowledgeCouncil)
class KnowledgeCouncilAdmin(admin.ModelAdmin):
    list_display = ("name", "healthcare_region", "position")
    list_filter = ("healthcare_region",)
    list_select_related = ("healthcare_region",)
    inlines = [CouncilMembershipInline]


@admin.register(RegionalGroupMembership)
class RegionalGroupMembershipAdmin(ImportExportAdmin):
    resource_classes = [RegionalGroupMembershipResource]
    list_display = ("person", "group", "region", "role", "starts_on", "ends_on")
    list_filter = ("group__healthcare_region", "role")
    list_select_related = ("person", "group", "region")
    raw_id_fields = ("person",)


class GroupMembershipInline(admin.TabularInline):
    model = RegionalGroupMembership
    extra = 0
    raw_id_fields = ("person",)


@admin.register(RegionalGroup)
class RegionalGroupAdmin(ImportExportAdmin):
    resource_classes = [RegionalGroupResource]
    list_display = (
        "name",
        "kind",
        "healthcare_region",
        "state",
        "council",
        "national_program_area",
        "national_group",
    )
    list_filter = ("healthcare_region", "kind", "state")
    list_select_related = (
        "healthcare_region",
        "council",
        "national_program_area",
        "national_group",
    )
    search_fields = ("name",)
    inlines = [GroupMembershipInline]


@admin.register(PatientPromise)
class PatientPromiseAdmin(admin.ModelAdmin):
    list_display = ("position", "text", "healthcare_region")
    list_filter = ("healthcare_region",)
    list_select_related = ("healthcare_region",)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("title", "program_area", "promise", "healthcare_region", "is_published")
    list_filter = ("healthcare_region", "is_published")
    list_select_related = ("program_area", "promise", "healthcare_region")
    inlines = [IndicatorInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "region", "year", "value")
    list_filter = ("year", "region")
    list_select_related = ("indicator", "region")
