"""The compiled prislista, read back: a tagged PDF grouped region → sjukhus → kategori
with a table of contents and "N (M)" page numbers, rendered in parts and recompiled
part by part; the XLSX and CSV; the decided versions, frozen and public."""

import csv
import hashlib
import io
import re
import subprocess

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from documents import jobs as document_jobs
from documents import selectors as document_selectors
from documents.models import DocumentPart, DocumentState, GeneratedDocument
from pricing import documents as price_documents
from pricing import services
from pricing.models import PriceList
from tests.factories import DecisionFactory
from tests.fixtures_celery import wait_done
from tests.pdf_structure import element_kinds, outline, structure_problems
from tests.pricing.factories import line

FORMULA = '=HYPERLINK("http://example.com","klicka")'


def lines(hospital, count, prefix, *, start=1000, category="lakarbesok", unit="besok"):
    return [
        line(
            hospital,
            code=f"{prefix}-{i:03}",
            price=f"{start + i}.00",
            clinic="Kardiologi",
            category=category,
            unit=unit,
            description=f"Besök {prefix} nummer {i}",
        )
        for i in range(count)
    ]


def make_closed_list(mellansverige, uppsala, dalarna, year=2026):
    price_list = services.price_list_create(actor=None, healthcare_region=mellansverige, year=year)
    services.price_lines_submit(
        actor=None,
        price_list=price_list,
        region=uppsala,
        lines=[
            *lines("Akademiska sjukhuset", 12, "AKA"),
            line(
                "Akademiska sjukhuset",
                code="DRG",
                category="drg",
                unit="poang",
                clinic="",
                description="Slutenvård, pris per DRG-poäng",
                price="74750.00",
            ),
            *lines("Enköpings lasarett", 3, "ENK"),
        ],
    )
    services.price_lines_submit(
        actor=None,
        price_list=price_list,
        region=dalarna,
        lines=[
            *lines("Falu lasarett", 4, "FAL"),
            line(
                "Falu lasarett",
                code="TILL-1",
                category="tillagg",
                unit="styck",
                clinic="",
                description=FORMULA,
                price="150.00",
            ),
            *lines("Mora lasarett", 2, "MOR"),
        ],
    )
    return services.price_list_transition(
        actor=None, price_list=price_list, state=PriceList.State.CLOSED
    )


def pdftotext(data: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", *pages, "-", "-"],
        input=data,
        check=True,
        capture_output=True,
    ).stdout.decode()


def page_count(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, check=True, capture_output=True).stdout
    return int(re.search(rb"Pages:\s+(\d+)", info).group(1))


def read(document: GeneratedDocument) -> bytes:
    with default_storage.open(document.file.name, "rb") as handle:
        return handle.read()


def compile_now(price_list) -> dict[str, GeneratedDocument]:
    made = services.price_list_compile(actor=None, price_list=price_list, render_now=True)
    return {document.kind: document for document in made}


@pytest.fixture
def small_parts(monkeypatch):
    """Split a sjukhus every 5 lines, so a small list has a sjukhus in several parts."""
    monkeypatch.setattr(price_documents, "PART_LINES", 5)


@pytest.mark.django_db
class TestTheCompiledPdf:
    @pytest.fixture
    def compiled(self, mellansverige, uppsala, dalarna, small_parts):
        price_list = make_closed_list(mellansverige, uppsala, dalarna)
        made = compile_now(price_list)
        pdf = made[price_documents.PDF_KIND]
        assert pdf.state == DocumentState.DONE, pdf.reason
        return price_list, pdf, read(pdf)

    def test_every_line_is_in_the_pdf_grouped_region_sjukhus_kategori(self, compiled):
        price_list, document, data = compiled
        text = pdftotext(data)
        for item in price_list.items.all():
            assert item.code in text
        assert "74 750,00" in text  # a no-break space between thousands
        body = "\f".join(text.split("\f")[2:])  # after the title page and the contents
        assert (
            body.index("Region Uppsala")
            < body.index("Akademiska sjukhuset")
            < body.index("Enköpings lasarett")
            < body.index("Region Dalarna")
            < body.index("Falu lasarett")
        )
        assert "Akademiska sjukhuset, fortsättning" in text  # 13 lines: three parts of 5
        assert document.filename == "prislista-mellansverige-2026.pdf"
        # Akademiska's 13 lines in three parts, the other three sjukhus in one each.
        assert document.parts_done == len(set(document.parts)) == 6

    def test_every_page_is_numbered_n_of_m(self, compiled):
        _list, _document, data = compiled
        total = page_count(data)
        assert total >= 8  # title page, contents and one page per part
        for number in range(1, total + 1):
            assert re.search(rf"^\s*{number} \({total}\)\s*$", pdftotext(data, number), re.M), (
                number
            )

    def test_the_table_of_contents_and_the_bookmarks_point_at_the_right_pages(self, compiled):
        _list, _document, data = compiled
        contents = pdftotext(data, 2)
        assert "Innehåll" in contents
        listed = dict(re.findall(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", contents, re.M))
        marks = {title: page for level, title, page in outline(data) if level in (2, 3)}
        for title in (
            "Region Uppsala",
            "Akademiska sjukhuset",
            "Enköpings lasarett",
            "Region Dalarna",
            "Falu lasarett",
            "Mora lasarett",
        ):
            page = int(listed[title])
            assert marks[title] == page, title
            assert title in pdftotext(data, page), (title, page)
        levels = [(level, title) for level, title, _page in outline(data)]
        assert levels[0] == (1, "Sjukvårdsregional prislista 2026")
        assert (2, "Region Dalarna") in levels and (3, "Mora lasarett") in levels

    def test_the_joined_pdf_is_one_whole_tagged_document_in_swedish(self, compiled):
        price_list, _document, data = compiled
        assert structure_problems(data) == []
        kinds = element_kinds(data)
        assert kinds["/Document"] == 1 and kinds["/H1"] == 1
        assert kinds["/H3"] == 4  # a heading per sjukhus; its continued parts have none
        assert kinds["/Table"] >= 7 and kinds["/TH"] >= 6 * 7
        info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True).stdout.decode()
        assert "Sjukvårdsregional prislista 2026 – Sjukvårdsregion Mellansverige" in info
        assert re.search(r"Tagged:\s+yes", info)

    def test_the_page_numbers_are_artifacts_not_content(self, compiled):
        import pikepdf

        _list, _document, data = compiled
        with pikepdf.open(io.BytesIO(data)) as pdf:
            stream = (
                b"".join(c.read_bytes() for c in pdf.pages[3].obj.Contents)
                if isinstance(pdf.pages[3].obj.Contents, pikepdf.Array)
                else pdf.pages[3].obj.Contents.read_bytes()
            )
        assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in stream

    def test_the_xlsx_and_csv_escape_formulas(self, compiled):
        price_list, _document, _data = compiled
        kinds = {d.kind: d for d in GeneratedDocument.objects.filter(subject_id=price_list.pk)}
        rows = list(
            csv.reader(
                io.StringIO(read(kinds[price_documents.CSV_KIND]).decode("utf-8-sig")),
                delimiter=";",
            )
        )
        cells = [cell for row in rows for cell in row]
        assert f"'{FORMULA}" in cells and FORMULA not in cells and "74750,00" in cells
        workbook = openpyxl.load_workbook(io.BytesIO(read(kinds[price_documents.XLSX_KIND])))
        values = [cell.value for row in workbook.active.iter_rows() for cell in row]
        assert f"'{FORMULA}" in values and FORMULA not in values
        assert len(list(workbook.active.iter_rows())) == 1 + price_list.items.count()


@pytest.mark.django_db
def test_a_recompile_renders_again_only_the_sjukhus_that_changed(
    mellansverige, uppsala, dalarna, small_parts
):
    price_list = make_closed_list(mellansverige, uppsala, dalarna)
    first = compile_now(price_list)[price_documents.PDF_KIND]
    parts_before = set(DocumentPart.objects.values_list("sha256", flat=True))
    assert set(first.parts) < parts_before  # the parts, and the page numbers for their total

    same = compile_now(price_list)[price_documents.PDF_KIND]
    assert set(DocumentPart.objects.values_list("sha256", flat=True)) == parts_before
    assert same.sha256 == first.sha256  # nothing changed: the same bytes, stored once

    services.price_list_transition(
        actor=None, price_list=price_list, state=PriceList.State.COLLECTING
    )
    services.price_lines_submit(
        actor=None,
        price_list=price_list,
        region=dalarna,
        lines=[
            *lines("Falu lasarett", 4, "FAL"),
            line(
                "Falu lasarett",
                code="TILL-1",
                category="tillagg",
                unit="styck",
                clinic="",
                description=FORMULA,
                price="150.00",
            ),
            *lines("Mora lasarett", 2, "MOR", start=2000),
        ],
    )
    services.price_list_transition(actor=None, price_list=price_list, state=PriceList.State.CLOSED)
    again = compile_now(price_list)[price_documents.PDF_KIND]

    new_parts = DocumentPart.objects.exclude(sha256__in=parts_before)
    assert [part.label for part in new_parts] == ["Region Dalarna, Mora lasarett"]
    assert again.sha256 != first.sha256
    assert "2 001,00" in pdftotext(read(again)) and "2 001,00" not in pdftotext(read(first))
    assert structure_problems(read(again)) == []


@pytest.mark.django_db
def test_a_broken_template_leaves_the_pdf_failed_with_its_reason(
    mellansverige, uppsala, dalarna, monkeypatch, client, kansli
):
    monkeypatch.setattr(price_documents, "FRONT_TEMPLATE", "pricing/pdf/finns-inte.html")
    price_list = make_closed_list(mellansverige, uppsala, dalarna)
    pdf = compile_now(price_list)[price_documents.PDF_KIND]
    assert pdf.state == DocumentState.FAILED
    assert "Mallen för dokumentet saknas" in pdf.reason
    client.force_login(kansli)
    page = client.get(price_list.get_absolute_url()).content.decode()
    assert "Misslyckad" in page and "Mallen för dokumentet saknas" in page
    assert "Försök igen" in page


@pytest.mark.django_db
def test_the_page_shows_how_many_parts_are_done_while_it_renders(
    mellansverige, uppsala, dalarna, client, kansli
):
    price_list = make_closed_list(mellansverige, uppsala, dalarna)
    # Not a transactional test: the job is never handed to a worker.
    document = document_jobs.document_request(
        actor=None, subject=price_list, kind=price_documents.PDF_KIND
    )
    GeneratedDocument.objects.filter(pk=document.pk).update(
        state=DocumentState.RUNNING,
        parts=["a", "b", "c", "a"],
        parts_done=1,
        started_at=document.created_at,
    )
    client.force_login(kansli)
    status = client.get(reverse("documents:status", kwargs={"pk": document.pk})).content.decode()
    assert "Skapas nu: 1 av 3 avsnitt klara." in status
    assert 'hx-trigger="every 2s"' in status


@pytest.mark.django_db
def test_compiling_is_refused_while_collection_is_open_and_after_the_decision(
    mellansverige, uppsala, dalarna, client, kansli, published_meeting
):
    price_list = services.price_list_create(actor=None, healthcare_region=mellansverige, year=2026)
    client.force_login(kansli)
    url = reverse("pricing:compile", kwargs={"hr": "mellansverige", "year": 2026})
    response = client.post(url, follow=True)
    assert "först när insamlingen är stängd" in response.content.decode()
    assert not GeneratedDocument.objects.filter(subject_id=price_list.pk).exists()


# Through real workers ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_kansli_compiles_through_the_worker_and_the_decided_version_is_frozen_and_public(
    celery_worker, client, mellansverige, uppsala, dalarna, kansli, published_meeting
):
    price_list = make_closed_list(mellansverige, uppsala, dalarna)
    client.force_login(kansli)
    transition = reverse("pricing:transition", kwargs={"hr": "mellansverige", "year": 2026})
    client.post(transition, {"state": "sammanstalld"})
    compiled = {
        kind: wait_done(document_selectors.latest_document(price_list, kind))
        for kind in price_documents.KINDS
    }
    assert all(d.state == DocumentState.DONE for d in compiled.values()), [
        d.reason for d in compiled.values()
    ]
    pdf = compiled[price_documents.PDF_KIND]
    assert pdf.parts_done == len(set(pdf.parts)) >= 4
    assert structure_problems(read(pdf)) == []
    parts_after_compile = DocumentPart.objects.count()

    # Not decided yet: only insiders read it.
    client.logout()
    download = reverse("documents:download", kwargs={"pk": pdf.pk})
    assert client.get(download).status_code == 404

    client.force_login(kansli)
    decision = DecisionFactory(meeting=published_meeting, title="Sjukvårdsregional prislista 2026")
    client.post(transition, {"state": "beslutad", "decision": decision.pk})
    decided = wait_done(document_selectors.latest_document(price_list, price_documents.PDF_KIND))
    assert decided.state == DocumentState.DONE and decided.is_snapshot
    assert DocumentPart.objects.count() == parts_after_compile  # only the front page changed
    assert "Fastställd av" in pdftotext(read(decided))
    decision.refresh_from_db()
    assert decision.subject == price_list

    client.logout()
    response = client.get(reverse("documents:download", kwargs={"pk": decided.pk}))
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == decided.sha256 == response["X-Checksum-SHA256"]
    page = client.get(price_list.get_absolute_url()).content.decode()
    assert decided.sha256 in page and "Ja, fryst vid beslutet" in page
    xlsx = document_selectors.latest_document(price_list, price_documents.XLSX_KIND)
    response = client.get(reverse("documents:download", kwargs={"pk": wait_done(xlsx).pk}))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
