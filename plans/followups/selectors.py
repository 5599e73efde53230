"""Reads of the återrapport pages, and every access check of them.

Who sees an återrapport depends on its state: while it is an utkast, only those who
write it (write_follow_up: the kansli and the group leads of the sjukvårdsregion);
once sent to the nämnd, also the nämnd's members (view_internal); once the nämnd has
laid it to the handlingar (decided), everyone. Anything else answers 404, exactly like
an återrapport that does not exist. Changing the header, sending and deciding need
manage_plans; writing one activity's follow-up needs manage_plans or being the current
ordförande or processledare of the group responsible for the activity; commenting
needs comment_reports while the återrapport is with the nämnd. A decided återrapport
is frozen: every change answers 403.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from knowledge.models import LEAD_ROLES, RegionalGroupMembership
from plans.models import (
    ActivityFollowUp,
    FocusArea,
    FollowUpComment,
    FollowUpReport,
    FollowUpSection,
    ReportState,
)
from regions import permissions
from regions.models import HealthcareRegion
from regions.selectors import permissions_for_user

MANAGE = permissions.MANAGE_PLANS
WRITE = permissions.WRITE_FOLLOW_UP
INTERNAL = permissions.VIEW_INTERNAL
COMMENT = permissions.COMMENT_REPORTS


def _perm(user, perm: str, healthcare_region_id: int) -> bool:
    return permissions_for_user(user).has_healthcare_region_perm(perm, healthcare_region_id)


def visible_states(user, healthcare_region: HealthcareRegion) -> list[str]:
    if _perm(user, WRITE, healthcare_region.pk) or _perm(user, MANAGE, healthcare_region.pk):
        return list(ReportState.values)
    if _perm(user, INTERNAL, healthcare_region.pk):
        return [ReportState.REVIEW, ReportState.DECIDED]
    return [ReportState.DECIDED]


def reports_visible_to(user, healthcare_region: HealthcareRegion) -> QuerySet[FollowUpReport]:
    return FollowUpReport.objects.filter(
        healthcare_region=healthcare_region,
        state__in=visible_states(user, healthcare_region),
    ).select_related("healthcare_region", "activity_plan", "decision__meeting")


def can_manage(user, report: FollowUpReport) -> bool:
    return _perm(user, MANAGE, report.healthcare_region_id)


def can_manage_reports(user, healthcare_region: HealthcareRegion) -> bool:
    """Whether the user creates and edits the sjukvårdsregion's återrapporter (the kansli)."""
    return _perm(user, MANAGE, healthcare_region.pk)


def report_for_user(
    user, healthcare_region: HealthcareRegion, pk, *, change: bool = False
) -> FollowUpReport:
    """An återrapport the user may read (404 otherwise).

    change=True: 403 unless the user manages the sjukvårdsregion's plans, and 403
    for everyone once the återrapport is decided (frozen).
    """
    try:
        report = reports_visible_to(user, healthcare_region).get(pk=pk)
    except (FollowUpReport.DoesNotExist, ValueError):
        raise Http404 from None
    if change and (not can_manage(user, report) or not report.is_editable):
        raise PermissionDenied
    return report


def report_access(user, report: FollowUpReport, *, change: bool = False) -> FollowUpReport:
    """The document pipeline's access check for the återrapport's PDFs. change=True is
    starting a PDF or "Försök igen": the kansli's, a decided återrapport's too, since a
    PDF of it changes nothing in it (the decided snapshot must be retried when it failed)."""
    report = report_for_user(user, report.healthcare_region, report.pk)
    if change and not can_manage(user, report):
        raise PermissionDenied
    return report


def groups_led_by(user) -> set[int]:
    """The groups the user currently chairs or leads as processledare (one query)."""
    if not user.is_authenticated:
        return set()
    today = timezone.localdate()
    return set(
        RegionalGroupMembership.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            starts_on__lte=today,
            person__user=user,
            role__in=LEAD_ROLES,
        ).values_list("group_id", flat=True)
    )


@dataclass
class Writer:
    """What the user may write in one återrapport; computed once per request."""

    manages: bool = False
    writes: bool = False
    led_groups: set[int] = field(default_factory=set)

    def may_write(self, follow_up: ActivityFollowUp) -> bool:
        if self.manages:
            return True
        return self.writes and follow_up.activity.responsible_group_id in self.led_groups

    @property
    def writes_anything(self) -> bool:
        return self.manages or (self.writes and bool(self.led_groups))


def writer_for(user, report: FollowUpReport) -> Writer:
    if not report.is_editable:
        return Writer()
    hr = report.healthcare_region_id
    writes = _perm(user, WRITE, hr)
    return Writer(
        manages=_perm(user, MANAGE, hr),
        writes=writes,
        led_groups=groups_led_by(user) if writes else set(),
    )


def report_contents_for_writer(report: FollowUpReport, writer: Writer):
    """report_contents, each follow-up marked with whether the writer may write it
    (`may_write`) and each section with whether they may mark it ready (`may_mark`)."""
    contents = report_contents(report)
    for section in contents.sections:
        for follow_up in section.follow_ups:
            follow_up.may_write = writer.may_write(follow_up)
        section.may_mark = writer.manages or any(f.may_write for f in section.follow_ups)
    return contents


def follow_up_for_user(user, report: FollowUpReport, pk) -> ActivityFollowUp:
    """One activity's follow-up in a report the caller has access-checked; 403 unless
    the user may write it."""
    try:
        follow_up = report.follow_ups.select_related(
            "activity__focus_area", "activity__responsible_group"
        ).get(pk=pk)
    except (ActivityFollowUp.DoesNotExist, ValueError):
        raise Http404 from None
    follow_up.report = report
    if not writer_for(user, report).may_write(follow_up):
        raise PermissionDenied
    return follow_up


def section_for_user(user, report: FollowUpReport, pk) -> FollowUpSection:
    """A fokusområde of the report, to mark ready: kansli, or a lead of a group that
    answers for one of its activities."""
    try:
        section = report.sections.select_related("focus_area").get(pk=pk)
    except (FollowUpSection.DoesNotExist, ValueError):
        raise Http404 from None
    section.report = report
    writer = writer_for(user, report)
    if writer.manages:
        return section
    ours = report.follow_ups.filter(
        activity__focus_area=section.focus_area_id,
        activity__responsible_group__in=writer.led_groups,
    )
    if not (writer.writes and writer.led_groups and ours.exists()):
        raise PermissionDenied
    return section


def can_comment(user, report: FollowUpReport) -> bool:
    return report.state == ReportState.REVIEW and _perm(user, COMMENT, report.healthcare_region_id)


def sees_comments(user, report: FollowUpReport) -> bool:
    """The nämnd's comments are internal: its members, the kansli and the writers see them."""
    hr = report.healthcare_region_id
    return any(_perm(user, perm, hr) for perm in (INTERNAL, MANAGE, WRITE))


def comment_for_user(user, report: FollowUpReport, pk, *, change: bool = False) -> FollowUpComment:
    try:
        comment = FollowUpComment.objects.select_related("follow_up").get(
            follow_up__report=report, pk=pk
        )
    except (FollowUpComment.DoesNotExist, ValueError):
        raise Http404 from None
    if change and (not can_manage(user, report) or not report.is_editable):
        raise PermissionDenied
    return comment


# The report page ---------------------------------------------------------------------


@dataclass
class SectionView:
    section: FollowUpSection
    follow_ups: list[ActivityFollowUp]

    @property
    def focus_area(self) -> FocusArea:
        return self.section.focus_area

    @property
    def written(self) -> int:
        return sum(1 for f in self.follow_ups if f.is_written)


@dataclass
class ReportContents:
    sections: list[SectionView]

    @property
    def activities(self) -> int:
        return sum(len(s.follow_ups) for s in self.sections)

    @property
    def written(self) -> int:
        return sum(s.written for s in self.sections)

    @property
    def ready_sections(self) -> int:
        return sum(1 for s in self.sections if s.section.is_ready)

    def status_counts(self) -> list[tuple[str, str, int]]:
        from plans.models import FollowUpStatus

        counts = {value: 0 for value in FollowUpStatus.values}
        for section in self.sections:
            for follow_up in section.follow_ups:
                if follow_up.status:
                    counts[follow_up.status] += 1
        return [(value, FollowUpStatus(value).label, n) for value, n in counts.items()]


def report_contents(report: FollowUpReport, *, with_comments: bool = True) -> ReportContents:
    """Sections, activities, follow-ups (and comments) in a constant number of queries."""
    follow_ups = report.follow_ups.select_related(
        "activity__focus_area",
        "activity__responsible_body",
        "activity__responsible_group",
        "written_by",
    ).order_by("activity__focus_area__position", "activity__position", "activity__pk")
    if with_comments:
        follow_ups = follow_ups.prefetch_related(
            Prefetch(
                "comments", queryset=FollowUpComment.objects.select_related("author", "handled_by")
            )
        )
    by_area: dict[int, list[ActivityFollowUp]] = {}
    for follow_up in follow_ups:
        follow_up.report = report
        by_area.setdefault(follow_up.activity.focus_area_id, []).append(follow_up)
    sections = report.sections.select_related("focus_area", "ready_by").order_by(
        "focus_area__position", "focus_area__pk"
    )
    return ReportContents([SectionView(s, by_area.get(s.focus_area_id, [])) for s in sections])
