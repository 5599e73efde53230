"""The pricing models whose changes the Historik page shows."""

from core.history import by_field, by_parent, register_history_source


def _price_list_ids(healthcare_region):
    from pricing.models import PriceList

    return list(
        PriceList.objects.filter(healthcare_region=healthcare_region)
        .order_by()
        .values_list("pk", flat=True)
    )


def register() -> None:
    register_history_source("pricing.PriceListEvent", by_field("healthcare_region_id"))
    register_history_source(
        "pricing.PriceSubmissionEvent", by_parent("price_list_id", _price_list_ids)
    )
    register_history_source("pricing.PriceItemEvent", by_parent("price_list_id", _price_list_ids))
