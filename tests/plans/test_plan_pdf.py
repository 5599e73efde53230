"""The demo plans' PDFs, read back: seed 000's every section heading and goal, Södra's
agreement text set apart from the plan's own, every activity of the aktivitetsplan,
page numbers "N (M)", the Upprättare / Datum block, tags and language."""

import re
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils.html import strip_tags

from documents import jobs as document_jobs
from documents import selectors as document_selectors
from documents.models import DocumentState
from plans import pdf as plan_pdf
from plans.models import Activity, ActivityPlan, OperationalPlan, PlanGoal
from plans.services import PLAN_PDF_KINDS
from tests.plans.test_followup_pdf import BODY_TOP_PT, _inflate, normalise, pdftotext

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command(
        "loaddata", "regions.yaml", "governance.yaml", "knowledge.yaml", "plans.yaml", verbosity=0
    )
    call_command("load_demo_plans", verbosity=0)


def _file(document, tmp_path):
    assert document.state == DocumentState.DONE, document.reason
    path = tmp_path / document.filename
    path.write_bytes(default_storage.open(document.file.name).read())
    return path


def _snapshot(plan, tmp_path):
    document = document_selectors.documents_of(plan, PLAN_PDF_KINDS[type(plan)]).get()
    assert document.is_snapshot
    return _file(document, tmp_path)


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_load_demo_renders_the_pdf_of_every_decided_plan_as_its_snapshot(demo):
    for plan in OperationalPlan.objects.filter(state="beslutad"):
        document = document_selectors.latest_document(plan, PLAN_PDF_KINDS[OperationalPlan])
        assert document.state == DocumentState.DONE and document.is_snapshot, plan
    [version] = document_selectors.stored_versions(
        OperationalPlan.objects.get(pk=1), PLAN_PDF_KINDS[OperationalPlan]
    )
    assert version.filename == "verksamhetsplan-mellansverige-2021-2024-v1.pdf"
    call_command("load_demo_plans", verbosity=0)  # again: nothing new
    assert document_selectors.documents_of(OperationalPlan.objects.get(pk=1)).count() == 1


def test_seed_000s_verksamhetsplan_holds_every_section_heading_and_goal(demo, tmp_path):
    plan = OperationalPlan.objects.get(healthcare_region__slug="mellansverige")
    text = normalise(pdftotext(_snapshot(plan, tmp_path)))
    assert normalise(plan.title) in text and "Inledning" in text
    for section in plan.sections.all():
        assert normalise(section.heading) in text
    goals = PlanGoal.objects.filter(section__plan=plan)
    assert goals.count() == 15
    for goal in goals:
        assert normalise(strip_tags(goal.text)) in text, goal.text


def test_every_page_has_the_upprättare_block_with_the_decision_date_and_n_of_m(demo, tmp_path):
    plan = OperationalPlan.objects.get(healthcare_region__slug="sodra")
    path = _snapshot(plan, tmp_path)
    pages = _pages(path)
    assert pages >= 3
    for number in range(1, pages + 1):
        header = normalise(
            pdftotext(
                path,
                "-f",
                str(number),
                "-l",
                str(number),
                "-x",
                "0",
                "-y",
                "0",
                "-W",
                "600",
                "-H",
                str(BODY_TOP_PT),
            )
        )
        assert header.startswith("Upprättare"), header
        assert "Södra sjukvårdsregionens kansli" in header and "Datum" in header
        assert "2021-12-10" in header and f"{number} ({pages})" in header


def test_södras_agreement_text_is_quoted_and_the_plans_own_text_set_in_italics(demo):
    plan = OperationalPlan.objects.get(healthcare_region__slug="sodra")
    html = plan_pdf.operational_plan_html(plan, list(plan.sections.all()))
    communication = html[html.index("§ 4 KOMMUNIKATION") : html.index("§ 5 CHEFSAMVERKAN")]
    assert '<blockquote class="agreement"><p>Kommunikationen ska bidra' in communication
    assert "<h3>Plan 2022–2023</h3>" in communication
    assert '<div class="own own--marked">' in communication
    mellansverige = OperationalPlan.objects.get(healthcare_region__slug="mellansverige")
    assert 'class="own own--marked"' not in plan_pdf.operational_plan_html(
        mellansverige, list(mellansverige.sections.all())
    )


def test_the_aktivitetsplan_pdf_has_every_activity_in_a_table_and_under_its_focus_area(
    demo, tmp_path
):
    plan = ActivityPlan.objects.get(healthcare_region__slug="mellansverige", year=2023)
    path = _file(
        document_jobs.document_render_now(
            actor=None, subject=plan, kind=PLAN_PDF_KINDS[ActivityPlan]
        ),
        tmp_path,
    )
    # A table cell breaks "samverkansorgan/grupper" after the slash.
    text = re.sub(r"/ ", "/", normalise(pdftotext(path)))
    titles = [normalise(a.title) for a in Activity.objects.filter(focus_area__activity_plan=plan)]
    assert len(titles) == 21
    for title in titles:
        assert text.count(title) >= 2, title  # in the summary table and as a heading
    assert "Produktionsplaneringsgruppen" in text
    assert "Sammanställning: 21 aktiviteter i 5 fokusområden" in text
    assert "beslutad 2022-12-09 § 61" in text  # the demo decision of the plan


@pytest.mark.parametrize("kind", ["operational", "activity"])
def test_the_plan_pdfs_are_tagged_titled_bookmarked_and_in_swedish(demo, tmp_path, kind):
    if kind == "operational":
        plan = OperationalPlan.objects.get(healthcare_region__slug="mellansverige")
        path = _snapshot(plan, tmp_path)
    else:
        plan = ActivityPlan.objects.get(healthcare_region__slug="mellansverige", year=2023)
        path = _file(
            document_jobs.document_render_now(
                actor=None, subject=plan, kind=PLAN_PDF_KINDS[ActivityPlan]
            ),
            tmp_path,
        )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert f"{plan.title} – Sjukvårdsregion Mellansverige" in info
    raw = path.read_bytes()
    inflated = b"".join(
        _inflate(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S)
    )
    assert re.search(rb"/Lang\s*\(sv\)", raw + inflated)
    assert b"/StructTreeRoot" in raw + inflated
    assert b"/Outlines" in raw + inflated  # the headings are the PDF's bookmarks
    tags = (
        (b"/H1", b"/H2", b"/L", b"/LI")
        if kind == "operational"
        else (b"/H1", b"/H2", b"/H3", b"/Table", b"/TH", b"/TD")
    )
    for tag in tags:
        assert tag in raw + inflated, tag
