"""Fuzzing the indicator reader: every input is read exactly or refused with a message."""

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.imports import UploadRejected, parse_values, read_table

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
pytestmark = pytest.mark.django_db


def _read(name, data, regions):
    return parse_values(read_table(name, data), regions)


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["v.csv", "v.xlsx", "v.txt"]))
def test_random_bytes_are_refused_with_a_message_or_read(uppsala, dalarna, data, name):
    try:
        _read(name, data, [uppsala, dalarna])
    except UploadRejected as rejected:
        assert rejected.errors and all(e.message for e in rejected.errors)


@FUZZ
@given(
    values=st.lists(
        st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False),
        min_size=1,
        max_size=30,
        unique=True,
    ),
    delimiter=st.sampled_from([";", ",", "\t"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]),
    newline=st.sampled_from(["\r\n", "\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_a_csv_in_any_dialect_is_read_exactly_or_refused(
    uppsala, dalarna, values, delimiter, quoting, newline, encoding
):
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, quoting=quoting, lineterminator=newline, escapechar="\\"
    )
    writer.writerow(["region", "år", "värde"])
    for index, value in enumerate(values):
        writer.writerow(["03", 1990 + index, f"{value:.2f}".replace(".", ",")])
    try:
        rows = _read("v.csv", buffer.getvalue().encode(encoding), [uppsala, dalarna])
    except UploadRejected as rejected:
        assert rejected.errors and all(e.message for e in rejected.errors)
        return
    assert [(r.region, r.year, r.value) for r in rows] == [
        (uppsala, 1990 + i, Decimal(f"{v:.2f}")) for i, v in enumerate(values)
    ]
