"""The prislista PDF of 5 000 lines: rendered in parts on two workers, against one
naive single-process WeasyPrint render of the same lines as one big table.

Not a test: run it by hand on an otherwise idle machine, from the repository root,
with PostgreSQL and Redis running:

    .venv/bin/python bench/price_pdf.py [--lines 5000] [--runs 2] [--workers 2]

It creates a throwaway database (samverkan_bench_price_pdf, dropped at the end) with
Mellansverige's regions and a closed price list of --lines lines over 21 sjukhus
(three per region; läkarbesök per klinik, vårddygn, åtgärder, analyser, tillägg),
starts a real Celery worker (prefork, --workers processes, its own queue) and, after
a warm-up job that loads WeasyPrint in every worker process, times:

  (a) the anchor: WeasyPrint rendering every line as one big tagged table (PDF/UA-1,
      the same stylesheet) in this process;
  (b) a first compile: from the request to the stored PDF, with no part rendered
      before (samverkan.document_parts renders one part per sjukhus on every free
      worker, then joins them and stamps the page numbers);
  (c) a recompile after one sjukhus's prices changed: only that part is rendered again.

It prints each time and the ratios (a)/(b) and (a)/(c): the target is ≥ 1.6 on this
2-core machine (DESIGN.md "Performance"). Two workers would make 2 the limit if a part
rendered as fast per line as the big table; smaller tables lay out faster per line in
WeasyPrint, so (b) can exceed it.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (  # noqa: E402
    bench_environment,
    create_database,
    drop_database,
    start_worker,
    stop_worker,
    wait_for_document,
    wait_for_worker,
)

DB_NAME = "samverkan_bench_price_pdf"
QUEUE = "samverkan-bench-price-pdf"
TARGET = 1.6
MEDIA_ROOT = tempfile.mkdtemp(prefix="samverkan-bench-media-")
ENV = bench_environment(DB_NAME, QUEUE, MEDIA_ROOT)

CLINICS = [
    "Kardiologi",
    "Kirurgi",
    "Ortopedi",
    "Onkologi",
    "Neurologi",
    "Barnmedicin",
    "Psykiatri",
    "Hud",
    "Öron-, näs- och halssjukvård",
    "Ögonsjukvård",
    "Urologi",
    "Gynekologi",
    "Reumatologi",
    "Endokrinologi",
    "Infektion",
    "Geriatrik",
]
HOSPITALS = ["Länssjukhuset", "Lasarettet", "Närsjukhuset"]


def lines_for(hospital: str, count: int, seed: int):
    """`count` plausible lines of one sjukhus: visits per klinik, bed days, procedures …"""
    from pricing.lines import PriceLine

    kinds = [
        ("lakarbesok", "besok", "LB", "Läkarbesök"),
        ("behandling", "behandling", "SB", "Sjukvårdande behandling"),
        ("vardygn", "dygn", "VD", "Vårddygn"),
        ("atgard", "atgard", "KVA", "Åtgärd"),
        ("analys", "analys", "AN", "Analys"),
        ("tillagg", "styck", "TL", "Tillägg"),
    ]
    made = []
    for i in range(count):
        category, unit, prefix, label = kinds[i % len(kinds)]
        clinic = CLINICS[(i // len(kinds)) % len(CLINICS)]
        price = Decimal(800 + (i * 37 + seed * 101) % 9000) + Decimal("0.50")
        made.append(
            PriceLine(
                hospital,
                clinic,
                category,
                f"{prefix}-{i:04d}",
                f"{label}, {clinic.lower()}, nivå {i % 7 + 1}",
                unit,
                str(price),
                "Inklusive material" if i % 11 == 0 else "",
            )
        )
    return made


def make_list(year: int, total: int):
    from pricing import services
    from pricing.models import PriceList
    from regions.models import HealthcareRegion

    healthcare_region = HealthcareRegion.objects.get(slug="mellansverige")
    price_list = services.price_list_create(
        actor=None, healthcare_region=healthcare_region, year=year
    )
    regions = list(healthcare_region.regions.order_by("scb_code"))
    per_hospital = total // (len(regions) * len(HOSPITALS))
    extra = total - per_hospital * len(regions) * len(HOSPITALS)
    for r, region in enumerate(regions):
        lines = []
        for h, name in enumerate(HOSPITALS):
            count = per_hospital + (extra if r == 0 and h == 0 else 0)
            lines += lines_for(f"{name} {region.name.removeprefix('Region ')}", count, r * 3 + h)
        services.price_lines_submit(actor=None, price_list=price_list, region=region, lines=lines)
    return services.price_list_transition(
        actor=None, price_list=price_list, state=PriceList.State.CLOSED
    )


NAIVE_WIDTHS = (11, 14, 13, 10, 9, 25, 7, 11)  # % of the page, fixed layout like the parts


def naive_html(price_list) -> str:
    """Every line in one big table, with the stylesheet of the parts and the same fixed
    table layout (auto layout measures every cell first: slower, and no fair anchor)."""
    from django.template import Context, Template
    from django.template.loader import render_to_string

    from core.formatting import number
    from pricing.documents import CATEGORY_LABEL, UNIT_LABEL

    style = render_to_string("pricing/pdf/_style.html")
    rows = [
        {
            "region": item.region.name,
            "hospital": item.hospital,
            "clinic": item.clinic,
            "category": CATEGORY_LABEL[item.category],
            "code": item.code,
            "description": item.description,
            "unit": UNIT_LABEL[item.unit],
            "price": number(item.price, 2),
        }
        for item in price_list.items.select_related("region").order_by(
            "region__scb_code", "hospital", "category", "clinic", "code"
        )
    ]
    return Template(
        '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Prislista</title>'
        "{{ style }}</head><body><h1>Prislista</h1><table style='table-layout: fixed'>"
        "<colgroup>{% for w in widths %}<col style='width: {{ w }}%'>{% endfor %}</colgroup>"
        "<thead><tr>"
        '<th scope="col">Region</th><th scope="col">Sjukhus</th><th scope="col">Klinik</th>'
        '<th scope="col">Kategori</th><th scope="col">Kod</th><th scope="col">Benämning</th>'
        '<th scope="col">Enhet</th><th scope="col">Pris (kr)</th></tr></thead><tbody>'
        "{% for r in rows %}<tr><td>{{ r.region }}</td><td>{{ r.hospital }}</td>"
        "<td>{{ r.clinic }}</td><td>{{ r.category }}</td><td>{{ r.code }}</td>"
        "<td>{{ r.description }}</td><td>{{ r.unit }}</td><td>{{ r.price }}</td></tr>"
        "{% endfor %}</tbody></table></body></html>"
    ).render(Context({"rows": rows, "style": style, "widths": NAIVE_WIDTHS}))


def timeline(document) -> str:
    """When the job started, its parts were done and it was stored, from the database."""
    from documents.models import DocumentPart

    rendered = sorted(
        DocumentPart.objects.filter(sha256__in=document.parts).values_list("rendered_at", flat=True)
    )
    begin = document.created_at
    return (
        f"kö → start {(document.started_at - begin).total_seconds():.2f} s, "
        f"första delen {(rendered[0] - begin).total_seconds():.2f} s, "
        f"sista delen {(rendered[-1] - begin).total_seconds():.2f} s, "
        f"lagrad {(document.finished_at - begin).total_seconds():.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    create_database(DB_NAME, ENV, ["regions.yaml"])
    os.environ.update(ENV)
    import django

    django.setup()
    from django.db import connection, transaction

    from documents import jobs as document_jobs
    from documents import registry as document_registry
    from documents.models import DocumentPart
    from pricing.documents import PDF_KIND
    from samverkan.celery import app

    app.control.purge()
    worker, nodename = start_worker(ENV, MEDIA_ROOT, concurrency=args.workers)
    try:
        wait_for_worker(app, nodename, worker, MEDIA_ROOT)
        warm_up = make_list(2030, 42 * args.workers)
        big = make_list(2031, args.lines)

        def compile_once(price_list) -> tuple[float, object]:
            start = time.perf_counter()
            with transaction.atomic():
                document = document_jobs.document_request(
                    actor=None, subject=price_list, kind=PDF_KIND
                )
            return wait_for_document(document) - start, document

        compile_once(warm_up)
        html = naive_html(big)
        document_registry.html_to_pdf("<html lang='sv'><title>x</title><p>x</p></html>")  # imports

        naive, first, changed = [], [], []
        for run in range(args.runs):
            start = time.perf_counter()
            naive_pdf = document_registry.html_to_pdf(html)
            naive.append(time.perf_counter() - start)

            DocumentPart.objects.all().delete()  # nothing rendered before
            elapsed, document = compile_once(big)
            first.append(elapsed)
            pages = document.parts_done
            print("  " + timeline(document), flush=True)

            with connection.cursor() as cursor:  # one sjukhus raises its prices
                cursor.execute(
                    "UPDATE pricing_priceitem SET price = price + 1 WHERE price_list_id = %s "
                    "AND hospital = (SELECT min(hospital) FROM pricing_priceitem "
                    "WHERE price_list_id = %s)",
                    [big.pk, big.pk],
                )
            elapsed, document = compile_once(big)
            changed.append(elapsed)
            print(
                f"  körning {run + 1}: naiv {naive[-1]:.2f} s, första {first[-1]:.2f} s "
                f"({pages} delar), efter en ändring {changed[-1]:.2f} s",
                flush=True,
            )

        naive_s, first_s, changed_s = (statistics.median(t) for t in (naive, first, changed))
        import io

        import pikepdf

        with pikepdf.open(io.BytesIO(naive_pdf)) as pdf:
            naive_pages = len(pdf.pages)
        print(
            f"Prislista med {args.lines} rader, {args.workers} arbetare, "
            f"median av {args.runs} körningar:"
        )
        print(
            f"  (a) naiv: en tabell, en process ({naive_pages} sidor): {naive_s:6.2f} s  "
            f"({args.lines / naive_s:.0f} rader/s)"
        )
        print(
            f"  (b) första sammanställning, i delar:            {first_s:6.2f} s  "
            f"kvot {naive_s / first_s:.2f}× "
            f"{'OK' if naive_s / first_s >= TARGET else 'UNDER MÅLET'} (mål ≥ {TARGET}×)"
        )
        print(
            f"  (c) efter ändring i ett sjukhus:                {changed_s:6.2f} s  "
            f"kvot {naive_s / changed_s:.2f}×"
        )
    finally:
        stop_worker(worker)
        drop_database(DB_NAME)
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
