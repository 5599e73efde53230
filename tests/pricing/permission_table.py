"""The pricing rows of the permission table (tests/test_permissions.py) and their objects.

`plist_open` is the 2025 list with collection open: Uppsala has a confirmed
submission, Dalarna a pending one. `plist_decided` is the decided 2024 list.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from documents.models import DocumentState, GeneratedDocument
from pricing import services
from pricing.documents import PDF_KIND
from tests.permission_columns import PUBLIC, write
from tests.pricing.factories import csv_bytes, make_decided_list, make_open_list

ROW = ";{hospital};;Läkarbesök;LB-1;Läkarbesök;besök;1 000;"


@pytest.fixture
def pricing_objects(
    mellansverige, uppsala, dalarna, published_meeting, price_contact_uppsala, price_contact_dalarna
):
    decided_list = make_decided_list(mellansverige, published_meeting, uppsala, dalarna)
    open_list = make_open_list(mellansverige)
    uppsala_sub, _ = services.price_submission_stage(
        actor=price_contact_uppsala,
        price_list=open_list,
        region=uppsala,
        filename="u.csv",
        data=csv_bytes(ROW.format(hospital="Akademiska sjukhuset")),
    )
    services.price_submission_confirm(actor=price_contact_uppsala, submission=uppsala_sub)
    dalarna_sub, _ = services.price_submission_stage(
        actor=price_contact_dalarna,
        price_list=open_list,
        region=dalarna,
        filename="d.csv",
        data=csv_bytes(ROW.format(hospital="Falu lasarett")),
    )
    documents = {
        name: _stored_pdf(price_list)
        for name, price_list in (("doc_decided", decided_list), ("doc_open", open_list))
    }
    return {
        **documents,
        "plist_open": open_list.year,
        "plist_decided": decided_list.year,
        "uppsala": uppsala.scb_code,
        "dalarna": dalarna.scb_code,
        "sub_uppsala": uppsala_sub.pk,
        "sub_dalarna": dalarna_sub.pk,
        "fmt_csv": "csv",
        "fmt_json": "json",
        "fmt_xlsx": "xlsx",
        "fmt_ods": "ods",
    }


def _stored_pdf(price_list) -> int:
    """A finished PDF of the list, as the pipeline leaves it (without rendering one)."""
    name = default_storage.save(f"documents/test/{price_list.year}.pdf", ContentFile(b"%PDF-1.7"))
    return GeneratedDocument.objects.create(
        subject_type=ContentType.objects.get_for_model(price_list),
        subject_id=price_list.pk,
        kind=PDF_KIND,
        state=DocumentState.DONE,
        file=name,
        filename="prislista.pdf",
        sha256="0" * 64,
        size=8,
    ).pk


KWARG_NAMES = {
    "doc_decided": "pk",
    "doc_open": "pk",
    "plist_open": "year",
    "plist_decided": "year",
    "uppsala": "scb",
    "dalarna": "scb",
    "sub_uppsala": "pk",
    "sub_dalarna": "pk",
    "fmt_csv": "fmt",
    "fmt_json": "fmt",
    "fmt_xlsx": "fmt",
    "fmt_ods": "fmt",
}

# Insiders and every price contact of the sjukvårdsregion read a list being collected.
OPEN_LIST = {
    "kansli": 200,
    "kansli_sodra": 404,
    "board_member": 200,
    "group_lead": 404,
    "price_contact_dalarna": 200,
    "anonymous": 404,
}
# One region's draft: insiders and that region's price contacts only.
UPPSALA_DRAFT = {**OPEN_LIST, "price_contact_dalarna": 404}
UPPSALA_DRAFT_LOGIN = {**UPPSALA_DRAFT, "anonymous": 302}
DALARNA_DRAFT_LOGIN = {**OPEN_LIST, "anonymous": 302}
# Uploading: only the region's own price contact; insiders see the list but may not.
UPLOAD_DALARNA = {
    "kansli": 403,
    "kansli_sodra": 404,
    "board_member": 403,
    "group_lead": 404,
    "price_contact_dalarna": 200,
    "anonymous": 302,
}
UPLOAD_UPPSALA = {**UPLOAD_DALARNA, "price_contact_dalarna": 404}
UPLOAD_DECIDED = {
    "kansli": 403,
    "kansli_sodra": 403,
    "board_member": 403,
    "group_lead": 403,
    "price_contact_dalarna": 403,
    "anonymous": 302,
}
KANSLI_ON_OPEN = {
    "kansli": 200,
    "kansli_sodra": 404,
    "board_member": 403,
    "group_lead": 404,
    "price_contact_dalarna": 403,
    "anonymous": 302,
}
KANSLI_ON_PUBLIC = {
    "kansli": 200,
    "kansli_sodra": 403,
    "board_member": 403,
    "group_lead": 403,
    "price_contact_dalarna": 403,
    "anonymous": 302,
}
# A compiled list not yet decided holds every region's lines: insiders only.
INSIDERS = {
    "kansli": 200,
    "kansli_sodra": 404,
    "board_member": 200,
    "group_lead": 404,
    "price_contact_dalarna": 404,
    "anonymous": 404,
}
OWN_REGION_ONLY = {
    "kansli": 404,
    "kansli_sodra": 404,
    "board_member": 404,
    "group_lead": 404,
    "price_contact_dalarna": 200,
    "anonymous": 302,
}

ROWS = [
    ("pricing:template", ("hr",), "get", PUBLIC),
    ("pricing:template_ods", ("hr",), "get", PUBLIC),
    ("pricing:compare", ("hr",), "get", PUBLIC),
    ("pricing:api_schema", ("hr",), "get", PUBLIC),
    ("pricing:price_list_create", ("hr",), "get", KANSLI_ON_PUBLIC),
    ("pricing:price_list", ("hr", "plist_open"), "get", OPEN_LIST),
    ("pricing:price_list", ("hr", "plist_decided"), "get", PUBLIC),
    ("pricing:export", ("hr", "plist_decided", "fmt_json"), "get", PUBLIC),
    ("pricing:export", ("hr", "plist_decided", "fmt_csv"), "get", PUBLIC),
    ("pricing:export", ("hr", "plist_open", "fmt_xlsx"), "get", OPEN_LIST),
    ("pricing:export", ("hr", "plist_open", "fmt_ods"), "get", OPEN_LIST),
    ("pricing:export", ("hr", "plist_decided", "fmt_ods"), "get", PUBLIC),
    ("pricing:region_lines", ("hr", "plist_open", "uppsala"), "get", UPPSALA_DRAFT),
    ("pricing:region_lines", ("hr", "plist_open", "dalarna"), "get", OPEN_LIST),
    ("pricing:region_lines", ("hr", "plist_decided", "uppsala"), "get", PUBLIC),
    ("pricing:upload", ("hr", "plist_open", "dalarna"), "get", UPLOAD_DALARNA),
    ("pricing:upload", ("hr", "plist_open", "uppsala"), "get", UPLOAD_UPPSALA),
    ("pricing:upload", ("hr", "plist_open", "uppsala"), "post", UPLOAD_UPPSALA),
    ("pricing:upload", ("hr", "plist_decided", "dalarna"), "get", UPLOAD_DECIDED),
    (
        "pricing:submission",
        ("hr", "plist_open", "uppsala", "sub_uppsala"),
        "get",
        UPPSALA_DRAFT_LOGIN,
    ),
    (
        "pricing:submission",
        ("hr", "plist_open", "dalarna", "sub_dalarna"),
        "get",
        DALARNA_DRAFT_LOGIN,
    ),
    (
        "pricing:submission",
        ("hr", "plist_open", "dalarna", "sub_dalarna"),
        "post",
        write(UPLOAD_DALARNA),
    ),
    ("pricing:submission", ("hr", "plist_open", "uppsala", "sub_uppsala"), "post", UPLOAD_UPPSALA),
    ("pricing:transition", ("hr", "plist_open"), "post", write(KANSLI_ON_OPEN)),
    ("pricing:compile", ("hr", "plist_open"), "post", write(KANSLI_ON_OPEN)),
    ("documents:download", ("doc_decided",), "get", PUBLIC),
    ("documents:status", ("doc_decided",), "get", PUBLIC),
    ("documents:download", ("doc_open",), "get", INSIDERS),
    ("documents:status", ("doc_open",), "get", INSIDERS),
    ("pricing:uprate", ("hr", "plist_decided"), "get", KANSLI_ON_PUBLIC),
    ("pricing:uprate", ("hr", "plist_open"), "get", KANSLI_ON_OPEN),
    ("pricing:api_tokens", ("hr", "dalarna"), "get", OWN_REGION_ONLY),
    (
        "pricing:api_tokens",
        ("hr", "uppsala"),
        "get",
        {**OWN_REGION_ONLY, "price_contact_dalarna": 404},
    ),
]
