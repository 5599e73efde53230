from django.contrib import admin

from pricing.models import ApiToken, PriceItem, PriceList, PriceSubmission


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ("healthcare_region", "year", "state", "deadline", "decision")
    list_filter = ("healthcare_region", "state")
    raw_id_fields = ("decision", "uprated_from")


@admin.register(PriceSubmission)
class PriceSubmissionAdmin(admin.ModelAdmin):
    list_display = (
        "price_list",
        "region",
        "status",
        "source",
        "line_count",
        "created_at",
        "submitted_by",
    )
    list_filter = ("status", "source", "region")
    readonly_fields = ("sha256", "line_count", "created_at", "confirmed_at")


@admin.register(PriceItem)
class PriceItemAdmin(admin.ModelAdmin):
    list_display = (
        "price_list",
        "region",
        "hospital",
        "category",
        "code",
        "description",
        "unit",
        "price",
    )
    list_filter = ("price_list__year", "region", "category")
    search_fields = ("code", "description", "hospital")
    list_select_related = ("price_list__healthcare_region", "region")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "region",
        "key_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("key_prefix", "key_hash", "created_at", "last_used_at")
