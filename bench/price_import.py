"""Speed of the price import against anchors on the same file in the same run.

Not a test: run it by hand on an otherwise idle machine, from the repository root,
with PostgreSQL running:

    .venv/bin/python bench/price_import.py [--lines 100000] [--slice 2000]

It creates a throwaway database (DATABASE_URL's name + "_bench", else samverkan_f_bench;
dropped at the end) and a temporary MEDIA_ROOT, migrates, writes a CSV of 100 000
price lines the way a Swedish office does (semicolons, "74 750,00 kr") and measures,
for one region of a list with collection open:

  (a) ours, the path a price contact takes: the upload (pricing.services.
      price_submission_stage: file read, every row validated, file stored, the checked
      lines cached) and then the confirmation (price_submission_confirm: the lines
      committed: COPY into a staging table, one INSERT … SELECT writing the lines and
      their history). The headline is both requests together, validated and committed;
      the confirmation alone and the one-step read + price_lines_submit (the API's
      path) are printed beside it;
  (b) django-import-export's default row-by-row import of a 2 000-line slice of the
      same rows into the same table, extrapolated to lines/s;
  (c) PostgreSQL COPY of the same, already parsed rows into a copy of the table
      (same constraints and indexes, no history triggers), the rows sent as one block
      of COPY text; and, as the earlier anchor, sent row by row with write_row;
  (d) the same lines as XLSX: openpyxl's read-only parse of the file, against our
      read + validation of it, and against its upload + confirmation.

It prints lines/s for each and the ratios: ours to (b) and ours to (c) (target
≥ 100 000 validated lines/s, DESIGN.md "Performance"), and XLSX ours to openpyxl
(target within 1.5×).
"""

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Beside the caller's database rather than a fixed name: several checkouts share the server.
_CALLER_DB = os.environ.get("DATABASE_URL", "").rpartition("/")[2].partition("?")[0]
DB = f"{_CALLER_DB}_bench" if _CALLER_DB else "samverkan_f_bench"
HOST = os.environ.get("BENCH_PGHOST", "127.0.0.1")
os.environ["DATABASE_URL"] = f"postgres://postgres@{HOST}:5432/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings_test")


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-q", "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def make_rows(n: int) -> list[list[str]]:
    rng = random.Random(1)
    categories = [("Läkarbesök", "besök"), ("Vårddygn", "dygn"), ("Åtgärd (KVÅ)", "åtgärd"),
                  ("Analys", "analys"), ("Sjukvårdande behandling", "behandling")]
    rows = []
    for i in range(n):
        category, unit = categories[i % len(categories)]
        price = rng.randint(25, 120_000) + rng.choice((0, 0, 0.5, 0.25))
        whole, _dot, decimals = f"{price:.2f}".partition(".")
        grouped = f"{int(whole):,}".replace(",", " ")
        rows.append(["20", f"Sjukhus {i % 7}", f"Klinik {i % 40}", category, f"K{i:06d}",
                     f"Benämning av rad {i}", unit, f"{grouped},{decimals} kr", ""])
    return rows


HEADER = ["Region", "Sjukhus", "Klinik/verksamhet", "Kategori", "Kod", "Benämning", "Enhet",
          "Pris (kr)", "Anmärkning"]


def csv_bytes(rows) -> bytes:
    lines = [";".join(HEADER)] + [";".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def xlsx_bytes(rows) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Prisrader")
    sheet.append(HEADER)
    for r in rows:
        price = float(r[7].removesuffix(" kr").replace(" ", "").replace(",", "."))
        sheet.append([*r[:7], price, r[8]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--slice", type=int, default=2_000)
    args = parser.parse_args()

    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    media = tempfile.mkdtemp(prefix="price-import-bench-")
    os.environ["MEDIA_ROOT"] = media
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {DB}")
        shutil.rmtree(media, ignore_errors=True)


def run(args):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection, transaction
    from import_export import fields, resources

    from pricing import imports, services
    from pricing.models import PriceItem
    from regions.models import HealthcareRegion, Region, User

    hr = HealthcareRegion.objects.create(slug="mellansverige", name="Mellansverige",
                                         short_name="Mellansverige")
    region = Region.objects.create(scb_code="20", name="Region Dalarna", short_name="Dalarna",
                                   healthcare_region=hr)
    contact = User.objects.create(username="priskontakt")
    rows = make_rows(args.lines)
    data = csv_bytes(rows)
    n = args.lines
    print(f"{n} lines, CSV {len(data) / 1e6:.1f} MB")

    def new_list(year):
        return services.price_list_create(actor=None, healthcare_region=hr, year=year)

    def upload_and_confirm(price_list, filename, content):
        """Seconds for the upload request and for the confirmation request."""
        t0 = time.perf_counter()
        submission, _lines = services.price_submission_stage(
            actor=contact, price_list=price_list, region=region, filename=filename,
            data=content)
        t1 = time.perf_counter()
        services.price_submission_confirm(actor=contact, submission=submission)
        t2 = time.perf_counter()
        assert PriceItem.objects.filter(price_list=price_list).count() == n
        return t1 - t0, t2 - t1

    # (a) ours ---------------------------------------------------------------------
    price_list = new_list(2030)
    stage, confirm = upload_and_confirm(price_list, "priser.csv", data)
    ours = n / (stage + confirm)
    print(f"(a) ours, CSV upload + confirmation (validated, committed): {ours:12,.0f} lines/s")
    print(f"    the upload (read, validated, stored): {n / stage:,.0f} lines/s; "
          f"the confirmation (committed): {n / confirm:,.0f} lines/s")

    list_a2 = new_list(2031)
    t0 = time.perf_counter()
    lines, _kind = imports.read_price_file("priser.csv", data, region)
    t1 = time.perf_counter()
    services.price_lines_submit(actor=None, price_list=list_a2, region=region, lines=lines,
                                filename="priser.csv", data=data)
    t2 = time.perf_counter()
    assert PriceItem.objects.filter(price_list=list_a2).count() == n
    one_step = n / (t2 - t0)
    print(f"    one step, read + price_lines_submit: {one_step:,.0f} lines/s "
          f"(read+validate {n / (t1 - t0):,.0f}/s, commit {n / (t2 - t1):,.0f}/s)")

    # Replacing with a copy where 10 % of prices changed: the UPDATE/DELETE/INSERT path.
    changed = [line._replace(price=f"{float(line.price) * 1.1:.2f}") if i % 10 == 0 else line
               for i, line in enumerate(lines)]
    t0 = time.perf_counter()
    services.price_lines_submit(actor=None, price_list=price_list, region=region, lines=changed)
    replace = n / (time.perf_counter() - t0)
    print(f"    ours, replacing the same region's lines (10 % changed): {replace:,.0f} lines/s")

    # (b) django-import-export, default row-by-row -----------------------------------
    class PriceItemResource(resources.ModelResource):
        price_list = fields.Field(attribute="price_list_id", column_name="price_list")
        region = fields.Field(attribute="region_id", column_name="region")

        class Meta:
            model = PriceItem
            fields = ("id", "price_list", "region", "hospital", "clinic", "category", "code",
                      "description", "unit", "price", "note")

    import tablib

    list_b = new_list(2032)
    dataset = tablib.Dataset(headers=["price_list", "region", "hospital", "clinic", "category",
                                      "code", "description", "unit", "price", "note"])
    for line in lines[: args.slice]:
        dataset.append([list_b.pk, region.pk, line.hospital, line.clinic, line.category, line.code,
                        line.description, line.unit, line.price, line.note])
    t0 = time.perf_counter()
    result = PriceItemResource().import_data(dataset, dry_run=False, raise_errors=True)
    anchor_iex = args.slice / (time.perf_counter() - t0)
    assert not result.has_errors()
    assert PriceItem.objects.filter(price_list=list_b).count() == args.slice
    print(f"(b) django-import-export row by row ({args.slice} lines): {anchor_iex:12,.0f} lines/s")

    # (c) COPY of the same parsed rows ------------------------------------------------
    # Into a copy of the table (same columns, constraints and indexes) without the
    # history triggers: what PostgreSQL's COPY itself costs (DESIGN.md's anchor).
    columns = "price_list_id, region_id, hospital, clinic, category, code, description, unit, " \
              "price, note"

    def copy_anchor(table, feed):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {table} (LIKE pricing_priceitem INCLUDING DEFAULTS"
                           " INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING INDEXES)")
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                feed(copy)
        return n / (time.perf_counter() - t0)

    prefix = f"{price_list.pk}\t{region.pk}\t"
    anchor_copy = copy_anchor("bench_copy", lambda copy: copy.write(
        "".join(prefix + "\t".join(line) + "\n" for line in lines)))
    anchor_rows = copy_anchor("bench_copy_rows", lambda copy: [
        copy.write_row((price_list.pk, region.pk, *line)) for line in lines])
    print(f"(c) PostgreSQL COPY of the parsed rows: {anchor_copy:12,.0f} lines/s "
          f"(row by row with write_row, the earlier anchor: {anchor_rows:,.0f})")

    print(f"ours / import-export: {ours / anchor_iex:8.1f}×   ours / COPY: {ours / anchor_copy:.2f}"
          f"   (/ COPY row by row: {ours / anchor_rows:.2f}; confirmation alone / COPY: "
          f"{n / confirm / anchor_copy:.2f}; one step / COPY: {one_step / anchor_copy:.2f})")
    print(f"target ≥ 100 000 validated lines/s: {'met' if ours >= 100_000 else 'NOT met'}")

    # (d) XLSX ------------------------------------------------------------------------
    xlsx = xlsx_bytes(rows)
    print(f"XLSX {len(xlsx) / 1e6:.1f} MB")
    import openpyxl

    t0 = time.perf_counter()
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    openpyxl_time = time.perf_counter() - t0
    assert count == n + 1
    t0 = time.perf_counter()
    xlsx_lines, kind = imports.read_price_file("priser.xlsx", xlsx, region)
    ours_xlsx = time.perf_counter() - t0
    assert kind == "xlsx" and xlsx_lines == lines
    stage_xlsx, confirm_xlsx = upload_and_confirm(new_list(2033), "priser.xlsx", xlsx)
    both = stage_xlsx + confirm_xlsx
    print(f"(d) openpyxl read-only parse: {openpyxl_time:6.2f} s; ours read+validate "
          f"{ours_xlsx:6.2f} s ({ours_xlsx / openpyxl_time:.2f}×), upload + confirmation "
          f"(validated, committed) {both:6.2f} s ({both / openpyxl_time:.2f}×); target ≤ 1.5×")


if __name__ == "__main__":
    main()
