"""The plans rows of the permission table (tests/test_permissions.py) and their objects.

`plan_draft` is a draft aktivitetsplan (kansli only), `plan_review` one under beredning
(kansli and nämnd), `plan_decided` a decided one (everyone); `vp` is a decided
verksamhetsplan and `vp_draft` a draft one. `*_pdf` are finished PDFs of those plans
(a stand-in file, not a render: the table is about who may fetch them).
"""

import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from documents.models import DocumentState, GeneratedDocument
from plans.models import PlanState
from plans.services import plan_pdf_kind
from tests.factories import DecisionFactory
from tests.permission_columns import INSIDERS, INSIDERS_LOGIN, KANSLI_ON_HIDDEN, KANSLI_ONLY, PUBLIC
from tests.permission_columns import write as _write
from tests.plans.factories import (
    ActivityFactory,
    ActivityPlanFactory,
    FocusAreaFactory,
    OperationalPlanFactory,
    PlanGoalFactory,
    PlanSectionFactory,
)

# A draft is the kansli's alone: everyone else must not learn that it exists.
KANSLI_SEES = {
    "kansli": 200,
    "kansli_sodra": 404,
    "board_member": 404,
    "group_lead": 404,
    "price_contact_dalarna": 404,
    "anonymous": 404,
}
KANSLI_ON_DRAFT = {**KANSLI_SEES, "anonymous": 302}
# A decided plan is read-only for everyone, kansli included.
READ_ONLY = {**dict.fromkeys(KANSLI_ONLY, 403), "anonymous": 302}


def _pdf(plan) -> int:
    content = f"%PDF-1.7 {plan._meta.model_name} {plan.pk}".encode()
    sha256 = hashlib.sha256(content).hexdigest()
    name = f"documents/test/{sha256}.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return GeneratedDocument.objects.create(
        subject_type=ContentType.objects.get_for_model(plan),
        subject_id=plan.pk,
        kind=plan_pdf_kind(plan),
        state=DocumentState.DONE,
        filename="plan.pdf",
        file=name,
        sha256=sha256,
        size=len(content),
    ).pk


@pytest.fixture
def plans_objects(mellansverige, published_meeting):
    decided_vp = OperationalPlanFactory(
        healthcare_region=mellansverige,
        state=PlanState.DECIDED,
        decision=DecisionFactory(meeting=published_meeting),
    )
    section = PlanSectionFactory(plan=decided_vp)
    goal = PlanGoalFactory(section=section)
    draft_vp = OperationalPlanFactory(healthcare_region=mellansverige)
    draft_section = PlanSectionFactory(plan=draft_vp)
    draft_goal = PlanGoalFactory(section=draft_section)

    def activity_plan(state, **extra):
        plan = ActivityPlanFactory(operational_plan=decided_vp, state=state, **extra)
        area = FocusAreaFactory(activity_plan=plan)
        return plan, area, ActivityFactory(focus_area=area)

    draft, area, activity = activity_plan(PlanState.DRAFT)
    review, review_area, review_activity = activity_plan(PlanState.REVIEW)
    decided, decided_area, decided_activity = activity_plan(
        PlanState.DECIDED, decision=DecisionFactory(meeting=published_meeting)
    )
    return {
        "p_vp": decided_vp.pk,
        "p_vp_draft": draft_vp.pk,
        "p_section": section.pk,
        "p_goal": goal.pk,
        "p_draft_section": draft_section.pk,
        "p_draft_goal": draft_goal.pk,
        "p_plan_draft": draft.pk,
        "p_plan_review": review.pk,
        "p_plan_decided": decided.pk,
        "p_area": area.pk,
        "p_activity": activity.pk,
        "p_review_area": review_area.pk,
        "p_review_activity": review_activity.pk,
        "p_decided_area": decided_area.pk,
        "p_decided_activity": decided_activity.pk,
        "p_vp_pdf": _pdf(decided_vp),
        "p_vp_draft_pdf": _pdf(draft_vp),
        "p_plan_review_pdf": _pdf(review),
    }


KWARG_NAMES = {
    "p_vp": "pk",
    "p_vp_draft": "pk",
    "p_section": "section_pk",
    "p_goal": "goal_pk",
    "p_draft_section": "section_pk",
    "p_draft_goal": "goal_pk",
    "p_plan_draft": "pk",
    "p_plan_review": "pk",
    "p_plan_decided": "pk",
    "p_area": "focus_area_pk",
    "p_activity": "activity_pk",
    "p_review_area": "focus_area_pk",
    "p_review_activity": "activity_pk",
    "p_decided_area": "focus_area_pk",
    "p_decided_activity": "activity_pk",
    "p_vp_pdf": "pk",
    "p_vp_draft_pdf": "pk",
    "p_plan_review_pdf": "pk",
}

ROWS = [
    ("plans:operational_plan_create", ("hr",), "get", KANSLI_ONLY),
    ("plans:activity_plan_create", ("hr",), "get", KANSLI_ONLY),
    ("plans:operational_plan", ("hr", "p_vp"), "get", PUBLIC),
    ("plans:operational_plan", ("hr", "p_vp_draft"), "get", KANSLI_SEES),
    ("plans:operational_plan_update", ("hr", "p_vp_draft"), "get", KANSLI_ON_DRAFT),
    ("plans:operational_plan_update", ("hr", "p_vp"), "get", READ_ONLY),
    ("plans:operational_plan_transition", ("hr", "p_vp_draft"), "post", _write(KANSLI_ON_DRAFT)),
    ("plans:operational_plan_decide", ("hr", "p_vp_draft"), "get", _write(KANSLI_ON_DRAFT)),
    ("plans:operational_plan_new_version", ("hr", "p_vp"), "post", _write(KANSLI_ONLY)),
    ("plans:operational_plan_compare", ("hr", "p_vp"), "get", PUBLIC),
    ("plans:operational_plan_history", ("hr", "p_vp"), "get", INSIDERS_LOGIN),
    ("plans:operational_plan_history", ("hr", "p_vp_draft"), "get", KANSLI_ON_DRAFT),
    ("plans:section_create", ("hr", "p_vp_draft"), "get", KANSLI_ON_DRAFT),
    ("plans:section_create", ("hr", "p_vp"), "get", READ_ONLY),
    ("plans:section_update", ("hr", "p_vp_draft", "p_draft_section"), "get", KANSLI_ON_DRAFT),
    ("plans:section_update", ("hr", "p_vp", "p_section"), "get", READ_ONLY),
    (
        "plans:section_move",
        ("hr", "p_vp_draft", "p_draft_section"),
        "post",
        _write(KANSLI_ON_DRAFT),
    ),
    ("plans:section_delete", ("hr", "p_vp_draft", "p_draft_section"), "get", KANSLI_ON_DRAFT),
    ("plans:goal_create", ("hr", "p_vp_draft", "p_draft_section"), "get", KANSLI_ON_DRAFT),
    ("plans:goal_update", ("hr", "p_vp_draft", "p_draft_goal"), "get", KANSLI_ON_DRAFT),
    ("plans:goal_update", ("hr", "p_vp", "p_goal"), "get", READ_ONLY),
    ("plans:goal_move", ("hr", "p_vp_draft", "p_draft_goal"), "post", _write(KANSLI_ON_DRAFT)),
    ("plans:goal_delete", ("hr", "p_vp_draft", "p_draft_goal"), "post", _write(KANSLI_ON_DRAFT)),
    ("plans:activity_plan", ("hr", "p_plan_draft"), "get", KANSLI_SEES),
    ("plans:activity_plan", ("hr", "p_plan_review"), "get", INSIDERS),
    ("plans:activity_plan", ("hr", "p_plan_decided"), "get", PUBLIC),
    # The exports show what the page shows (fmt_* come from the pricing table's objects).
    ("plans:activity_plan_export", ("hr", "p_plan_draft", "fmt_xlsx"), "get", KANSLI_SEES),
    ("plans:activity_plan_export", ("hr", "p_plan_review", "fmt_csv"), "get", INSIDERS),
    ("plans:activity_plan_export", ("hr", "p_plan_review", "fmt_ods"), "get", INSIDERS),
    ("plans:activity_plan_export", ("hr", "p_plan_decided", "fmt_csv"), "get", PUBLIC),
    ("plans:activity_plan_update", ("hr", "p_plan_draft"), "get", KANSLI_ON_DRAFT),
    ("plans:activity_plan_update", ("hr", "p_plan_review"), "get", KANSLI_ON_HIDDEN),
    ("plans:activity_plan_update", ("hr", "p_plan_decided"), "get", READ_ONLY),
    ("plans:activity_plan_transition", ("hr", "p_plan_review"), "post", _write(KANSLI_ON_HIDDEN)),
    ("plans:activity_plan_decide", ("hr", "p_plan_review"), "get", KANSLI_ON_HIDDEN),
    ("plans:activity_plan_new_version", ("hr", "p_plan_decided"), "post", _write(KANSLI_ONLY)),
    ("plans:activity_plan_compare", ("hr", "p_plan_decided"), "get", PUBLIC),
    ("plans:activity_plan_compare", ("hr", "p_plan_draft"), "get", KANSLI_SEES),
    ("plans:activity_plan_history", ("hr", "p_plan_review"), "get", INSIDERS_LOGIN),
    ("plans:activity_plan_history", ("hr", "p_plan_draft"), "get", KANSLI_ON_DRAFT),
    ("plans:activity_plan_next_year", ("hr", "p_plan_decided"), "get", KANSLI_ONLY),
    ("plans:activity_import", ("hr", "p_plan_draft"), "get", KANSLI_ON_DRAFT),
    ("plans:activity_import", ("hr", "p_plan_decided"), "get", READ_ONLY),
    ("plans:focus_area_create", ("hr", "p_plan_draft"), "get", KANSLI_ON_DRAFT),
    ("plans:focus_area_update", ("hr", "p_plan_review", "p_review_area"), "get", KANSLI_ON_HIDDEN),
    ("plans:focus_area_move", ("hr", "p_plan_draft", "p_area"), "post", _write(KANSLI_ON_DRAFT)),
    ("plans:focus_area_delete", ("hr", "p_plan_draft", "p_area"), "get", KANSLI_ON_DRAFT),
    ("plans:activity_create", ("hr", "p_plan_draft", "p_area"), "get", KANSLI_ON_DRAFT),
    ("plans:activity_update", ("hr", "p_plan_draft", "p_activity"), "get", KANSLI_ON_DRAFT),
    (
        "plans:activity_update",
        ("hr", "p_plan_review", "p_review_activity"),
        "get",
        KANSLI_ON_HIDDEN,
    ),
    ("plans:activity_update", ("hr", "p_plan_decided", "p_decided_activity"), "get", READ_ONLY),
    ("plans:activity_move", ("hr", "p_plan_draft", "p_activity"), "post", _write(KANSLI_ON_DRAFT)),
    ("plans:activity_delete", ("hr", "p_plan_draft", "p_activity"), "get", KANSLI_ON_DRAFT),
    (
        "plans:activity_delete",
        ("hr", "p_plan_draft", "p_activity"),
        "post",
        _write(KANSLI_ON_DRAFT),
    ),
    # PDFs: the kansli makes them; whoever may read the plan may fetch them.
    ("plans:operational_plan_pdf", ("hr", "p_vp"), "post", _write(KANSLI_ONLY)),
    ("plans:operational_plan_pdf", ("hr", "p_vp_draft"), "post", _write(KANSLI_ON_DRAFT)),
    ("plans:activity_plan_pdf", ("hr", "p_plan_review"), "post", _write(KANSLI_ON_HIDDEN)),
    ("plans:activity_plan_pdf", ("hr", "p_plan_decided"), "post", _write(KANSLI_ONLY)),
    ("documents:download", ("p_vp_pdf",), "get", PUBLIC),
    ("documents:download", ("p_vp_draft_pdf",), "get", KANSLI_SEES),
    ("documents:download", ("p_plan_review_pdf",), "get", INSIDERS),
    ("documents:status", ("p_vp_pdf",), "get", PUBLIC),
    ("documents:status", ("p_vp_draft_pdf",), "get", KANSLI_SEES),
    ("documents:retry", ("p_vp_pdf",), "post", _write(KANSLI_ONLY)),
    ("documents:retry", ("p_vp_draft_pdf",), "post", _write(KANSLI_ON_DRAFT)),
]
