"""The demo återrapport's PDF, read back: seed 002's every heading and paragraph, page
numbers "N (M)", the Upprättare / Datum block on each page, tags and language."""

import re
import subprocess
import zlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from documents import selectors as document_selectors
from documents.models import DocumentState
from plans.followups.services import PDF_KIND
from plans.models import Activity, FollowUpReport, ReportState

pytestmark = pytest.mark.django_db

SEED = Path("/work/shared/seeds/002_03a07bb2a7afce28.txt")
BODY_TOP_PT, BODY_BOTTOM_PT = 92, 780  # inside the page margins (34 mm and 22 mm)


def normalise(text: str) -> str:
    text = text.replace("\u00ad", "")
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"-\s+", "-", text).strip()


def seed_blocks() -> list[str]:
    """The seed's text blocks (separated by blank lines), without its page-header artefact
    and the duplicated URLs of its first page."""
    text = SEED.read_text(encoding="utf-8")
    text = re.sub(r"\n6 \(8\) \n.*?2024-02-16  \n", "\n", text, flags=re.S)
    text = text.replace("\nhttps://www.sjukvardsregionmellan.se/forskning-i-samverkan/", "")
    blocks = re.split(r"\n[ \t]+\n", text)
    return [normalise(b) for b in blocks if b.strip()]


def pdftotext(path, *args) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def pdf(db):
    call_command(
        "loaddata", "regions.yaml", "governance.yaml", "knowledge.yaml", "plans.yaml", verbosity=0
    )
    call_command("load_demo_followup", verbosity=0)
    report = FollowUpReport.objects.get()
    document = document_selectors.documents_of(report, PDF_KIND).get()
    return report, document


def _path(document, tmp_path):
    path = tmp_path / document.filename
    path.write_bytes(default_storage.open(document.file.name).read())
    return path


def test_the_demo_återrapport_is_decided_by_decision_4_with_its_frozen_pdf(pdf):
    report, document = pdf
    assert report.state == ReportState.DECIDED
    assert report.decision.pk == 4 and report.decision.subject == report
    assert report.author_unit == "Samverkansnämndens kansli"
    assert report.author_name and report.author_name != "Eva-Lena Aspetorp"
    assert report.report_date.isoformat() == "2024-02-16"
    assert document.state == DocumentState.DONE and document.is_snapshot
    assert document.filename == "aterrapport-aktivitetsplan-2023-mellansverige.pdf"


def test_the_pdf_holds_every_heading_and_paragraph_of_seed_002(pdf, tmp_path):
    report, document = pdf
    path = _path(document, tmp_path)
    # The body only: the running header and footer cut away, as a reader would skip them.
    body = normalise(
        pdftotext(
            path,
            "-x",
            "0",
            "-y",
            str(BODY_TOP_PT),
            "-W",
            "600",
            "-H",
            str(BODY_BOTTOM_PT - BODY_TOP_PT),
        )
    )
    titles = sorted(
        (
            normalise(a.title)
            for a in Activity.objects.filter(focus_area__activity_plan=report.activity_plan)
        ),
        key=len,
        reverse=True,
    )
    checked_paragraphs = checked_headings = 0
    for block in seed_blocks():
        if block.startswith("• "):
            block = block[2:]
            title = next(t for t in titles if block.startswith(t))
            assert title in body, title
            checked_headings += 1
            block = block[len(title) :].strip()
        if block:
            assert block in body, block
            checked_paragraphs += 1
    assert checked_headings == 21
    assert checked_paragraphs >= 25


def test_every_page_has_the_upprättare_block_and_a_page_number_n_of_m(pdf, tmp_path):
    report, document = pdf
    path = _path(document, tmp_path)
    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(
                ["pdfinfo", str(path)], capture_output=True, text=True, check=True
            ).stdout,
        ).group(1)
    )
    assert pages >= 5
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
        assert report.author_name in header and "Samverkansnämndens kansli" in header
        assert "Datum" in header and "2024-02-16" in header
        assert f"{number} ({pages})" in header


def test_the_pdf_is_tagged_titled_and_in_swedish(pdf, tmp_path):
    report, document = pdf
    path = _path(document, tmp_path)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert "Title:           Återrapport aktivitetsplan 2023" in info
    raw = path.read_bytes()
    inflated = b"".join(
        _inflate(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S)
    )
    assert re.search(rb"/Lang\s*\(sv\)", raw + inflated)
    assert b"/StructTreeRoot" in raw + inflated
    # Headings and the summary table are real structure, not styled text.
    for tag in (b"/H1", b"/H2", b"/H3", b"/Table", b"/TH", b"/TD"):
        assert tag in raw + inflated, tag


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:
        return b""
