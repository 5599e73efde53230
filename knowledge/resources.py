"""The admin's import and export of the kunskapsstyrning register (django-import-export).

The national programme areas and groups by their kortnamn (slug); a sjukvårdsregion's
groups by sjukvårdsregion, typ and namn; their members by group, person id and the
region's länskod. Rows are saved by knowledge.services.imported_row_save.
"""

from core.importexport import ScopedForeignKeyWidget, ServiceResource, column
from knowledge import services
from knowledge.models import (
    KnowledgeCouncil,
    NationalGroup,
    NationalProgramArea,
    RegionalGroup,
    RegionalGroupMembership,
)
from regions.models import HealthcareRegion, Person, Region

HR = str(RegionalGroup._meta.get_field("healthcare_region").verbose_name)
KIND = str(RegionalGroup._meta.get_field("kind").verbose_name)
IN_HR = {"healthcare_region__slug": HR}


class _Meta:
    clean_model_instances = True
    use_transactions = True
    skip_unchanged = True
    report_skipped = True


class NationalProgramAreaResource(ServiceResource):
    save_service = services.imported_row_save
    slug = column(NationalProgramArea, "slug")
    name = column(NationalProgramArea, "name")

    class Meta(_Meta):
        model = NationalProgramArea
        fields = ("slug", "name")
        import_id_fields = ("slug",)


class NationalGroupResource(ServiceResource):
    save_service = services.imported_row_save
    slug = column(NationalGroup, "slug")
    kind = column(NationalGroup, "kind")
    name = column(NationalGroup, "name")

    class Meta(_Meta):
        model = NationalGroup
        fields = ("slug", "kind", "name")
        import_id_fields = ("slug",)


class RegionalGroupResource(ServiceResource):
    save_service = services.imported_row_save
    healthcare_region = column(
        RegionalGroup,
        "healthcare_region",
        widget=ScopedForeignKeyWidget(HealthcareRegion, field="slug"),
    )
    kind = column(RegionalGroup, "kind")
    name = column(RegionalGroup, "name")
    national_program_area = column(
        RegionalGroup,
        "national_program_area",
        widget=ScopedForeignKeyWidget(NationalProgramArea, field="slug"),
    )
    national_group = column(
        RegionalGroup, "national_group", widget=ScopedForeignKeyWidget(NationalGroup, field="slug")
    )
    council = column(
        RegionalGroup,
        "council",
        widget=ScopedForeignKeyWidget(KnowledgeCouncil, field="name", scope=IN_HR),
    )
    parent = column(
        RegionalGroup,
        "parent",
        widget=ScopedForeignKeyWidget(RegionalGroup, field="name", scope=IN_HR),
    )
    state = column(RegionalGroup, "state")
    formed_on = column(RegionalGroup, "formed_on")
    closed_on = column(RegionalGroup, "closed_on")
    mandate = column(RegionalGroup, "mandate")
    note = column(RegionalGroup, "note")
    position = column(RegionalGroup, "position")

    class Meta(_Meta):
        model = RegionalGroup
        fields = (
            "healthcare_region",
            "kind",
            "name",
            "national_program_area",
            "national_group",
            "council",
            "parent",
            "state",
            "formed_on",
            "closed_on",
            "mandate",
            "note",
            "position",
        )
        import_id_fields = ("healthcare_region", "kind", "name")


class RegionalGroupMembershipResource(ServiceResource):
    save_service = services.imported_row_save
    id = column(RegionalGroupMembership, "id", label="id")
    healthcare_region = column(
        RegionalGroupMembership, "group__healthcare_region__slug", label=HR, readonly=True
    )
    kind = column(RegionalGroupMembership, "group__kind", label=KIND, readonly=True)
    group = column(
        RegionalGroupMembership,
        "group",
        widget=ScopedForeignKeyWidget(RegionalGroup, field="name", scope={**IN_HR, "kind": KIND}),
    )
    person = column(
        RegionalGroupMembership, "person", label="person-id", widget=ScopedForeignKeyWidget(Person)
    )
    person_name = column(RegionalGroupMembership, "person", label="person", readonly=True)
    region = column(
        RegionalGroupMembership,
        "region",
        widget=ScopedForeignKeyWidget(Region, field="scb_code"),
    )
    role = column(RegionalGroupMembership, "role")
    starts_on = column(RegionalGroupMembership, "starts_on")
    ends_on = column(RegionalGroupMembership, "ends_on")

    class Meta(_Meta):
        model = RegionalGroupMembership
        fields = (
            "id",
            "healthcare_region",
            "kind",
            "group",
            "person",
            "person_name",
            "region",
            "role",
            "starts_on",
            "ends_on",
        )
        import_id_fields = ("id",)

    def get_queryset(self):
        return super().get_queryset().select_related("group__healthcare_region", "person", "region")
