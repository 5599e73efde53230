"""What an app registers with the document pipeline, and the one way it makes a PDF.

An app registers a renderer per kind of document from its AppConfig.ready:

    register_renderer("followup_report", render_followup_pdf, access=followup_access)

`render(subject) -> (filename, bytes)` is a pure function of the objects it is given;
`access(user, subject, *, change=False)` raises Http404 / PermissionDenied like the
app's own access helpers, so the shared status and download views need not know the
app (documents never imports plans or pricing). A long document registers a parted
renderer instead (`register_parted_renderer`, see documents.parts).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

PDF_VARIANT = "pdf/ua-1"

# Sent with `document` whenever a job ends (klar, misslyckad) or goes back to the queue:
# an app that caches pages showing a document's state listens (plans.pdf).
document_changed = Signal()


@dataclass(frozen=True)
class PartSource:
    label: str  # what the part is, for a reason shown when it fails ("Akademiska sjukhuset")
    html: str

    @property
    def sha256(self) -> str:
        return html_sha256(self.html)


@dataclass(frozen=True)
class TocEntry:
    level: int
    title: str
    page: int  # 1-based, in the whole document


@dataclass(frozen=True)
class PartedRenderer:
    parts: Callable  # (subject) -> list[PartSource]
    front: Callable  # (subject, toc: list[TocEntry], total_pages: int) -> html
    page_numbers: Callable  # (total_pages) -> html of a document of that many numbered pages
    filename: Callable  # (subject) -> str


@dataclass(frozen=True)
class Renderer:
    kind: str
    render: Callable | None
    access: Callable | None = None
    label: str = ""
    parted: PartedRenderer | None = None


_RENDERERS: dict[str, Renderer] = {}


def register_renderer(
    kind: str, render: Callable, *, access: Callable | None = None, label: str = ""
) -> None:
    """Make `render(subject) -> (filename, bytes)` the renderer of documents of `kind`."""
    _RENDERERS[kind] = Renderer(kind, render, access, label)


def register_parted_renderer(
    kind: str,
    *,
    parts: Callable,
    front: Callable,
    page_numbers: Callable,
    filename: Callable,
    access: Callable | None = None,
    label: str = "",
) -> None:
    """A long document rendered in parts on several workers (documents.parts)."""
    _RENDERERS[kind] = Renderer(
        kind,
        None,
        access,
        label,
        PartedRenderer(parts=parts, front=front, page_numbers=page_numbers, filename=filename),
    )


def renderer_for(kind: str) -> Renderer:
    try:
        return _RENDERERS[kind]
    except KeyError:
        raise LookupError(f"Ingen renderare registrerad för {kind!r}") from None


def registered(kind: str) -> Renderer | None:
    return _RENDERERS.get(kind)


def label_of(kind: str) -> str:
    """What the page calls a document of this kind ("PDF", "Excel")."""
    renderer = _RENDERERS.get(kind)
    return renderer.label if renderer is not None and renderer.label else "PDF"


def html_sha256(html: str) -> str:
    import hashlib

    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def html_to_pdf(html: str, *, base_url: str | None = None, tagged: bool = True) -> bytes:
    """Tagged PDF (PDF/UA-1) from HTML; the HTML carries lang="sv" and a <title>.
    Untagged only for what is drawn onto a tagged page as an artifact (page numbers)."""
    import weasyprint  # heavy: loaded by the worker when it first renders, not by every web process

    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(
        pdf_variant=PDF_VARIANT if tagged else None
    )
