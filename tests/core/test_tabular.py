"""The shared reader bounds the work a workbook can cost, whatever its size on disk."""

import dataclasses
import io

import openpyxl
import pytest

from core import tabular
from pricing.imports import LIMITS as PRICE_LIMITS


def _workbook(rows: int, columns: int = 9, sheets: int = 1) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    for number in range(sheets):
        sheet = workbook.create_sheet(f"Blad {number + 1}")
        sheet.append([f"Kolumn {c}" for c in range(columns)])
        for row in range(rows):
            sheet.append([f"{row}-{c}" for c in range(columns)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(data: bytes, limits: tabular.Limits) -> tabular.Table:
    return tabular.read_table(
        "prislista.xlsx", data, limits=limits, header_score=lambda row: 0, min_score=1
    )


def test_a_workbook_with_more_cells_than_the_limit_is_refused_with_a_way_out():
    limits = dataclasses.replace(PRICE_LIMITS, max_cells=1_000)
    assert len(_read(_workbook(rows=99), limits).rows) == 100  # 900 cells and a header

    with pytest.raises(tabular.UploadRejected) as refused:
        _read(_workbook(rows=200), limits)
    message = refused.value.errors[0].message
    assert "fler än 1\u00a0000 celler" in message
    assert "CSV" in message


def test_the_cell_limit_counts_every_sheet_looked_at_for_the_header():
    # No sheet has a header, so each sheet's first rows are read: all of them count.
    limits = dataclasses.replace(PRICE_LIMITS, max_cells=1_000)
    with pytest.raises(tabular.UploadRejected):
        _read(_workbook(rows=15, columns=50, sheets=3), limits)
