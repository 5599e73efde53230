"""Fuzzing the price reader: every input is read exactly or refused with a message.

Never another exception, never a partial write. Bounded in time: a few seconds each.
"""

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.tabular import ods_bytes, unescape_formula
from pricing.imports import UploadRejected, read_price_file
from pricing.models import PriceItem, PriceSubmission
from tests.pricing.factories import HEADER

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NOT_IN_ODF = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
notes = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
prices = st.decimals(min_value=0, max_value=9_999_999, places=2, allow_nan=False)
rows = st.lists(st.tuples(texts, texts, notes, prices), min_size=1, max_size=5)


def _assert_refused_with_messages(rejected: UploadRejected) -> None:
    assert rejected.errors
    assert all(isinstance(e.message, str) and e.message for e in rejected.errors)


def _records(drawn):
    return [
        [
            "20",
            hospital,
            "",
            "Läkarbesök",
            f"K{i}",
            description,
            "besök",
            f"{price:.2f}".replace(".", ","),
            note,
        ]
        for i, (hospital, description, note, price) in enumerate(drawn)
    ]


def _expected(drawn):
    return [
        (
            unescape_formula(hospital.strip()),
            f"K{i}",
            unescape_formula(description.strip()),
            f"{price:.2f}",
            unescape_formula(note.strip()),
        )
        for i, (hospital, description, note, price) in enumerate(drawn)
    ]


def _read_or_refused(filename, data, region, drawn):
    try:
        lines, _kind = read_price_file(filename, data, region)
    except UploadRejected as rejected:
        _assert_refused_with_messages(rejected)
        return
    assert [(x.hospital, x.code, x.description, x.price, x.note) for x in lines] == _expected(drawn)


@pytest.mark.django_db
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes_are_refused_with_a_message_or_read(dalarna, data):
    try:
        read_price_file("priser.csv", data, dalarna)
    except UploadRejected as rejected:
        _assert_refused_with_messages(rejected)


@pytest.mark.django_db
@FUZZ
@given(
    drawn=rows,
    delimiter=st.sampled_from([";", ",", "\t"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    newline=st.sampled_from(["\r\n", "\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    titles=st.integers(0, 3),
)
def test_a_csv_in_any_dialect_is_read_exactly_or_refused(
    dalarna, drawn, delimiter, quoting, newline, encoding, titles
):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    for i in range(titles):
        writer.writerow([f"Prislista {i}"])
    writer.writerow(HEADER.split(";"))
    writer.writerows(_records(drawn))
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode("utf-8")
    _read_or_refused("priser.csv", data, dalarna, drawn)


@pytest.mark.django_db
@FUZZ
@given(drawn=rows, titles=st.integers(0, 3), instructions_first=st.booleans())
def test_a_workbook_is_read_exactly_or_refused(dalarna, drawn, titles, instructions_first):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if instructions_first:
        sheet.append(["Fyll i prisraderna på nästa blad"])
        sheet = workbook.create_sheet("Prisrader")
    try:
        for i in range(titles):
            sheet.append([f"Prislista {i}"])
        sheet.append(HEADER.split(";"))
        for record in _records(drawn):
            sheet.append(record)
    except openpyxl.utils.exceptions.IllegalCharacterError:
        return  # openpyxl cannot write such a text; Excel cannot either
    buffer = io.BytesIO()
    workbook.save(buffer)
    _read_or_refused("priser.xlsx", buffer.getvalue(), dalarna, drawn)


@pytest.mark.django_db
@FUZZ
@given(drawn=rows, titles=st.integers(0, 3), numbers=st.booleans())
def test_an_ods_workbook_is_read_exactly_or_refused(dalarna, drawn, titles, numbers):
    records = _records(drawn)
    if numbers:  # prices as number cells, as LibreOffice saves a typed-in price
        for record, (_h, _d, _n, price) in zip(records, drawn, strict=True):
            record[7] = price
    if any(NOT_IN_ODF.search(str(cell)) for record in records for cell in record):
        return  # odfpy writes U+FFFD for what XML cannot hold or discourages; Excel refuses it
    title_rows = [[f"Prislista {i}", *[""] * 8] for i in range(titles)]
    if titles:
        data = ods_bytes(
            [("Prisrader", title_rows[0], [*title_rows[1:], HEADER.split(";"), *records])]
        )
    else:
        data = ods_bytes([("Prisrader", HEADER.split(";"), records)])
    _read_or_refused("priser.ods", data, dalarna, drawn)


@pytest.mark.django_db
@FUZZ
@given(drawn=rows, cut=st.integers(0, 4000), junk=st.binary(min_size=1, max_size=8))
def test_the_upload_page_never_answers_500_and_writes_nothing_on_refusal(
    client, open_list, price_contact_dalarna, drawn, cut, junk
):
    client.force_login(price_contact_dalarna)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER.split(";"))
    writer.writerows(_records(drawn))
    data = buffer.getvalue().encode()
    data = data[:cut] + junk + data[cut:]  # a damaged file: bytes inserted anywhere
    submissions, items = PriceSubmission.objects.count(), PriceItem.objects.count()
    response = client.post(
        reverse("pricing:upload", kwargs={"hr": "mellansverige", "year": 2025, "scb": "20"}),
        {"file": SimpleUploadedFile("priser.csv", data)},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert PriceSubmission.objects.count() == submissions
    assert PriceItem.objects.count() == items  # only the confirmation writes lines
