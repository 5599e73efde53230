"""The återrapport rows of the permission table (tests/test_permissions.py) and their objects.

`fu_draft` is an återrapport not yet sent to the nämnd (its writers only), `fu_review`
one sent to the nämnd (insiders), `fu_decided` one laid to the handlingar (public,
frozen). The demo group lead leads no group here, so may read drafts but write nothing.
"""

import pytest

from plans.followups import services
from plans.models import PlanState
from tests.factories import DecisionFactory, UserFactory
from tests.permission_columns import INSIDERS, KANSLI_ONLY, PUBLIC
from tests.permission_columns import write as _write
from tests.plans.factories import ActivityFactory, ActivityPlanFactory, FocusAreaFactory

# A draft återrapport: those who write it (kansli, group leads) see it; the nämnd does not yet.
WRITERS_SEE = {
    "kansli": 200,
    "kansli_sodra": 404,
    "board_member": 404,
    "group_lead": 200,
    "price_contact_dalarna": 404,
    "anonymous": 404,
}
WRITERS_LOGIN = {**WRITERS_SEE, "anonymous": 302}
KANSLI_ON_DRAFT = {**WRITERS_LOGIN, "group_lead": 403}
KANSLI_ON_REVIEW = {**INSIDERS, "board_member": 403, "group_lead": 403, "anonymous": 302}
# Writing one activity: the kansli, or the lead of its group (not this group lead).
WRITE_ON_DRAFT = {**WRITERS_LOGIN, "group_lead": 403}
# Commenting: nämnd members while the återrapport is with the nämnd.
COMMENT_ON_REVIEW = {
    "kansli": 403,
    "kansli_sodra": 404,
    "board_member": 302,
    "group_lead": 403,
    "price_contact_dalarna": 404,
    "anonymous": 302,
}
# Decided: public to read, frozen for everyone.
FROZEN = {**dict.fromkeys(KANSLI_ONLY, 403), "anonymous": 302}
INSIDERS_AND_WRITERS = {**INSIDERS, "group_lead": 200}
# Historik: who changed what is internal, also once the återrapport is public.
HISTORY_OF_PUBLIC = {**INSIDERS_AND_WRITERS, "anonymous": 302}


@pytest.fixture
def followup_objects(mellansverige, published_meeting):
    def report(state):
        plan = ActivityPlanFactory(
            operational_plan__healthcare_region=mellansverige,
            state=PlanState.DECIDED,
            decision=DecisionFactory(meeting=published_meeting),
        )
        ActivityFactory(focus_area=FocusAreaFactory(activity_plan=plan))
        made = services.report_create(actor=None, activity_plan=plan)
        if state != "utkast":
            made = services.report_send_to_board(actor=None, report=made)
        if state == "granskning":
            follow_up = made.follow_ups.get()
            comment = services.comment_create(actor=UserFactory(), follow_up=follow_up, text="Bra.")
            return made, follow_up, made.sections.get(), comment
        if state == "beslutad":
            made = services.report_decide(actor=None, report=made, meeting=published_meeting)
        return made, made.follow_ups.get(), made.sections.get(), None

    draft, draft_fu, draft_section, _ = report("utkast")
    review, review_fu, _section, comment = report("granskning")
    decided, decided_fu, decided_section, _ = report("beslutad")
    return {
        "fu_draft": draft.pk,
        "fu_draft_item": draft_fu.pk,
        "fu_draft_section": draft_section.pk,
        "fu_review": review.pk,
        "fu_review_item": review_fu.pk,
        "fu_comment": comment.pk,
        "fu_decided": decided.pk,
        "fu_decided_item": decided_fu.pk,
        "fu_decided_section": decided_section.pk,
    }


KWARG_NAMES = {
    "fu_draft": "pk",
    "fu_draft_item": "follow_up_pk",
    "fu_draft_section": "section_pk",
    "fu_review": "pk",
    "fu_review_item": "follow_up_pk",
    "fu_comment": "comment_pk",
    "fu_decided": "pk",
    "fu_decided_item": "follow_up_pk",
    "fu_decided_section": "section_pk",
}

ROWS = [
    ("plans:followup_list", ("hr",), "get", PUBLIC),
    ("plans:followup_create", ("hr",), "get", KANSLI_ONLY),
    ("plans:followup", ("hr", "fu_draft"), "get", WRITERS_SEE),
    ("plans:followup", ("hr", "fu_review"), "get", INSIDERS_AND_WRITERS),
    ("plans:followup", ("hr", "fu_decided"), "get", PUBLIC),
    ("plans:followup_update", ("hr", "fu_draft"), "get", KANSLI_ON_DRAFT),
    ("plans:followup_update", ("hr", "fu_decided"), "get", FROZEN),
    ("plans:followup_update", ("hr", "fu_decided"), "post", FROZEN),
    ("plans:followup_write", ("hr", "fu_draft", "fu_draft_item"), "get", WRITE_ON_DRAFT),
    ("plans:followup_write", ("hr", "fu_decided", "fu_decided_item"), "get", FROZEN),
    ("plans:followup_section_ready", ("hr", "fu_decided", "fu_decided_section"), "post", FROZEN),
    ("plans:followup_send", ("hr", "fu_draft"), "post", _write(KANSLI_ON_DRAFT)),
    ("plans:followup_send", ("hr", "fu_decided"), "post", FROZEN),
    ("plans:followup_comment", ("hr", "fu_review", "fu_review_item"), "post", COMMENT_ON_REVIEW),
    (
        "plans:followup_comment_handled",
        ("hr", "fu_review", "fu_comment"),
        "post",
        _write(KANSLI_ON_REVIEW),
    ),
    ("plans:followup_decide", ("hr", "fu_review"), "get", KANSLI_ON_REVIEW),
    ("plans:followup_decide", ("hr", "fu_decided"), "get", FROZEN),
    ("plans:followup_pdf", ("hr", "fu_decided"), "post", _write(KANSLI_ONLY)),
    ("plans:followup_history", ("hr", "fu_draft"), "get", WRITERS_LOGIN),
    ("plans:followup_history", ("hr", "fu_review"), "get", HISTORY_OF_PUBLIC),
    ("plans:followup_history", ("hr", "fu_decided"), "get", HISTORY_OF_PUBLIC),
]
