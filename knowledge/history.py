"""The kunskapsstyrning models whose changes the Historik page shows."""

from core.history import by_field, by_parent, register_history_source


def _ids_of(model, path_to_healthcare_region: str):
    """A function giving the ids of `model`'s rows in one sjukvårdsregion."""

    def ids(healthcare_region):
        return list(
            model.objects.filter(**{path_to_healthcare_region: healthcare_region})
            .order_by()
            .values_list("pk", flat=True)
        )

    return ids


def register() -> None:
    from knowledge.models import Goal, Indicator, KnowledgeCouncil, RegionalGroup

    for name in (
        "Hosting",
        "GroupKindName",
        "KnowledgeCouncil",
        "RegionalGroup",
        "PatientPromise",
        "Goal",
    ):
        register_history_source(f"knowledge.{name}Event", by_field("healthcare_region_id"))
    register_history_source(
        "knowledge.KnowledgeCouncilMembershipEvent",
        by_parent("council_id", _ids_of(KnowledgeCouncil, "healthcare_region")),
    )
    register_history_source(
        "knowledge.RegionalGroupMembershipEvent",
        by_parent("group_id", _ids_of(RegionalGroup, "healthcare_region")),
    )
    register_history_source(
        "knowledge.IndicatorEvent", by_parent("goal_id", _ids_of(Goal, "healthcare_region"))
    )
    register_history_source(
        "knowledge.IndicatorValueEvent",
        by_parent("indicator_id", _ids_of(Indicator, "goal__healthcare_region")),
    )
