"""The admin's import and export of bodies, people and memberships (django-import-export).

Columns carry the models' Swedish names; a body is named by its sjukvårdsregion's
kortnamn and its own name, a region by its länskod, a person by id (the export lists
the names beside it). Rows are saved by regions.services.imported_row_save.
"""

from core.importexport import ScopedForeignKeyWidget, ServiceResource, column
from regions import services
from regions.models import Body, HealthcareRegion, Membership, Person, Region

HR = str(Body._meta.get_field("healthcare_region").verbose_name)


class BodyResource(ServiceResource):
    save_service = services.imported_row_save
    healthcare_region = column(
        Body, "healthcare_region", widget=ScopedForeignKeyWidget(HealthcareRegion, field="slug")
    )
    kind = column(Body, "kind")
    name = column(Body, "name")
    short_name = column(Body, "short_name")
    description = column(Body, "description")
    parent = column(
        Body,
        "parent",
        widget=ScopedForeignKeyWidget(Body, field="name", scope={"healthcare_region__slug": HR}),
    )
    rotates_leadership = column(Body, "rotates_leadership")
    rotation_years = column(Body, "rotation_years")
    position = column(Body, "position")

    class Meta:
        model = Body
        fields = (
            "healthcare_region",
            "kind",
            "name",
            "short_name",
            "description",
            "parent",
            "rotates_leadership",
            "rotation_years",
            "position",
        )
        import_id_fields = ("healthcare_region", "name")
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True


class PersonResource(ServiceResource):
    save_service = services.imported_row_save
    id = column(Person, "id", label="id")
    first_name = column(Person, "first_name")
    last_name = column(Person, "last_name")
    title = column(Person, "title")
    email = column(Person, "email")

    class Meta:
        model = Person
        fields = ("id", "first_name", "last_name", "title", "email")
        import_id_fields = ("id",)
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True


class MembershipResource(ServiceResource):
    save_service = services.imported_row_save
    id = column(Membership, "id", label="id")
    healthcare_region = column(Membership, "body__healthcare_region__slug", label=HR, readonly=True)
    body = column(
        Membership,
        "body",
        widget=ScopedForeignKeyWidget(Body, field="name", scope={"healthcare_region__slug": HR}),
    )
    person = column(Membership, "person", label="person-id", widget=ScopedForeignKeyWidget(Person))
    person_name = column(Membership, "person", label="person", readonly=True)
    region = column(Membership, "region", widget=ScopedForeignKeyWidget(Region, field="scb_code"))
    role = column(Membership, "role")
    starts_on = column(Membership, "starts_on")
    ends_on = column(Membership, "ends_on")

    class Meta:
        model = Membership
        fields = (
            "id",
            "healthcare_region",
            "body",
            "person",
            "person_name",
            "region",
            "role",
            "starts_on",
            "ends_on",
        )
        import_id_fields = ("id",)
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("body__healthcare_region", "person", "region")
