"""Long documents rendered in parts, in parallel, re-rendering only what changed.

A renderer registered with `register_parted_renderer` splits its subject into parts
(a prislista: one per hospital of each region) and gives each part as a whole HTML
document. The job then runs in three steps, each a Celery task:

1. `start` (in the job's own task, the job already pågår): every part is known by
   the sha256 of its HTML. Parts rendered before, by this job or any earlier one,
   are reused; a task is queued for each of the others, so every free worker
   takes one.
2. `part_render`, once per missing part: WeasyPrint renders it into a tagged PDF,
   which is stored with its page count and bookmarks. The last part to finish
   (counted under a lock on the job's row) queues the assembly.
3. `assemble`: the front part (title page and table of contents, whose page numbers
   are known only now) is rendered, the parts are joined behind it into one tagged
   PDF, page numbers "N (M)" are stamped on (documents.pdfmerge), and the result is
   stored like any other document.

Progress ("3 av 12 avsnitt klara") is the job's `parts_done` of its distinct parts.
A worker killed mid-part leaves the job pågår until it is stale; claimed again, the
job starts over from step 1 and finds the parts already done.
"""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queueing import enqueue_on_commit
from documents import pdfmerge
from documents.models import DocumentPart, DocumentState, GeneratedDocument
from documents.outcomes import (
    RETRY_POLICY,
    TRANSIENT_ERRORS,
    failure_reason,
    finish,
    heartbeat,
    store,
)
from documents.registry import (
    PDF_VARIANT,
    PartedRenderer,
    TocEntry,
    html_sha256,
    html_to_pdf,
    renderer_for,
)

logger = logging.getLogger(__name__)

# The front part is rendered again until its page count is what its own table of
# contents assumed; a table of contents one line longer than a page settles at once.
FRONT_ATTEMPTS = 4


def render(html: str) -> tuple[bytes, int, list[pdfmerge.Heading]]:
    """A tagged PDF of the HTML, its page count and its headings (for bookmarks and the
    table of contents) with their real levels: h3 stays level 3 in a part without h2."""
    import weasyprint

    document = weasyprint.HTML(string=html).render(pdf_variant=PDF_VARIANT)
    headings = [
        pdfmerge.Heading(level, label, number, round((page.height - y) * 0.75, 2))
        for number, page in enumerate(document.pages)
        for level, label, (_x, y), _state in page.bookmarks
    ]
    return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages), headings


# Step 1 ------------------------------------------------------------------------------


def start(document: GeneratedDocument, renderer: PartedRenderer, *, inline: bool = False) -> None:
    """Find or queue every part of the job; with `inline`, render them here, one by one."""
    sources = renderer.parts(document.subject)
    shas = [source.sha256 for source in sources]
    with transaction.atomic():
        known = {
            part.sha256: part
            for part in DocumentPart.objects.select_for_update().filter(sha256__in=shas)
        }
        missing = []
        for source, sha in zip(sources, shas, strict=True):
            part = known.get(sha)
            if part is None:
                part = DocumentPart(sha256=sha, label=source.label[:300], html=source.html)
                known[sha] = part
                missing.append(part)
            elif not part.is_rendered and not part.html:
                part.html = source.html
                part.save(update_fields=["html"])
        DocumentPart.objects.bulk_create(missing, ignore_conflicts=True)
        waiting = sorted({sha for sha in shas if not known[sha].is_rendered})
        GeneratedDocument.objects.filter(pk=document.pk).update(
            parts=shas, parts_done=len(set(shas)) - len(waiting)
        )
        document.parts = shas
        document.parts_done = len(set(shas)) - len(waiting)
        if not inline:
            for sha in waiting:
                enqueue_on_commit(part_render_task, document_id=document.pk, sha256=sha)
    if inline:
        for sha in waiting:
            part_render(document_id=document.pk, sha256=sha, then_assemble=False)
    if inline or not waiting:
        assemble(document_id=document.pk)


# Step 2 ------------------------------------------------------------------------------


def part_render(*, document_id: int, sha256: str, then_assemble: bool = True) -> None:
    """Render one part (unless another job did already) and count it done for the job."""
    part = DocumentPart.objects.filter(sha256=sha256).first()
    if part is None:
        return
    if not part.is_rendered and part.html:
        try:
            with heartbeat(document_id):
                _touch(document_id)
                content, pages, headings = render(part.html)
        except TRANSIENT_ERRORS:
            raise
        except Exception as error:
            logger.exception("Part %s of document %s failed", sha256, document_id)
            document = GeneratedDocument.objects.filter(
                pk=document_id, state=DocumentState.RUNNING
            ).first()
            if document is not None:
                finish(
                    document,
                    state=DocumentState.FAILED,
                    reason=_("Avsnittet %(part)s kunde inte skapas. %(reason)s")
                    % {"part": part.label, "reason": failure_reason(error)},
                )
            return
        name = _store_part_file(sha256, content)
        DocumentPart.objects.filter(pk=part.pk, rendered_at__isnull=True).update(
            file=name,
            pages=pages,
            outline=[heading.as_json() for heading in headings],
            rendered_at=timezone.now(),
            html="",
        )
    _count_done(document_id, then_assemble=then_assemble)


def _touch(document_id: int) -> None:
    """The job is alive while its parts are rendered, whichever worker renders them."""
    GeneratedDocument.objects.filter(pk=document_id, state=DocumentState.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def _store_part_file(sha256: str, content: bytes) -> str:
    """Store a rendered part under its HTML's checksum (once) and return its name."""
    name = f"documents/parts/{sha256[:2]}/{sha256}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    return name


def _count_done(document_id: int, *, then_assemble: bool = True) -> None:
    with transaction.atomic():
        document = (
            GeneratedDocument.objects.select_for_update()
            .filter(pk=document_id, state=DocumentState.RUNNING)
            .first()
        )
        if document is None:
            return  # failed meanwhile, or finished by an earlier assembly
        wanted = set(document.parts)
        done = DocumentPart.objects.filter(sha256__in=wanted, rendered_at__isnull=False).count()
        before = document.parts_done
        if done != before:
            GeneratedDocument.objects.filter(pk=document_id).update(parts_done=done)
        # Under the row lock only one finishing part sees the count reach the total.
        if then_assemble and done == len(wanted) and before < len(wanted):
            enqueue_on_commit(assemble_task, document_id=document_id)


# Step 3 ------------------------------------------------------------------------------


def _page_numbers(html: str, total: int) -> bytes:
    """The untagged page of numbers for a document of `total` pages: rendered once per
    total, and kept like a part (a recompile of the same length reuses it)."""
    sha = html_sha256("page-numbers:" + html)
    part = DocumentPart.objects.filter(sha256=sha, rendered_at__isnull=False).first()
    if part is not None and default_storage.exists(part.file.name):
        with default_storage.open(part.file.name, "rb") as handle:
            return handle.read()
    content = html_to_pdf(html, tagged=False)
    name = _store_part_file(sha, content)
    DocumentPart.objects.update_or_create(
        sha256=sha,
        defaults={
            "label": _("Sidnummer för %(total)s sidor") % {"total": total},
            "file": name,
            "pages": total,
            "rendered_at": timezone.now(),
            "html": "",
        },
    )
    return content


def assemble(*, document_id: int) -> None:
    """Join the rendered parts behind the front part and store the document."""
    document = GeneratedDocument.objects.filter(pk=document_id, state=DocumentState.RUNNING).first()
    if document is None:
        return
    try:
        with heartbeat(document.pk):
            _touch(document.pk)
            _assemble(document)
    except TRANSIENT_ERRORS:
        raise
    except Exception as error:
        logger.exception("Assembling document %s failed", document.pk)
        finish(document, state=DocumentState.FAILED, reason=failure_reason(error))


def _assemble(document: GeneratedDocument) -> None:
    renderer = renderer_for(document.kind).parted
    by_sha = {
        part.sha256: part for part in DocumentPart.objects.filter(sha256__in=set(document.parts))
    }
    if any(sha not in by_sha or not by_sha[sha].is_rendered for sha in document.parts):
        return  # a part was lost: the stale job is claimed again and starts over
    parts = [by_sha[sha] for sha in document.parts]
    contents = []
    for part in parts:
        with default_storage.open(part.file.name, "rb") as handle:
            contents.append(handle.read())
    body_pages = sum(part.pages for part in parts)

    front_pages, front = 1, b""
    for _attempt in range(FRONT_ATTEMPTS):
        toc, offset = [], front_pages
        for part in parts:
            for heading in map(pdfmerge.Heading.from_json, part.outline):
                toc.append(TocEntry(heading.level, heading.title, offset + heading.page + 1))
            offset += part.pages
        front, pages, front_headings = render(
            renderer.front(document.subject, toc, front_pages + body_pages)
        )
        if pages == front_pages:
            break
        front_pages = pages

    outline, offset = list(front_headings), front_pages
    for part in parts:
        outline += [
            pdfmerge.Heading(h.level, h.title, offset + h.page, h.top)
            for h in map(pdfmerge.Heading.from_json, part.outline)
        ]
        offset += part.pages
    numbers = _page_numbers(renderer.page_numbers(offset), offset)
    content = pdfmerge.merge(front, contents, numbers, outline=outline)
    store(document, renderer.filename(document.subject), content)


@shared_task(**RETRY_POLICY)
def part_render_task(*, document_id: int, sha256: str) -> None:
    """Render one part of a document made in parts (part_render)."""
    part_render(document_id=document_id, sha256=sha256)


@shared_task(**RETRY_POLICY)
def assemble_task(*, document_id: int) -> None:
    """Join the rendered parts of a document into one PDF and store it (assemble)."""
    assemble(document_id=document_id)
