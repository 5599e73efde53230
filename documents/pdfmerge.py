"""Putting separately rendered tagged PDFs together into one tagged PDF (pikepdf).

WeasyPrint renders each section of a long document into its own PDF/UA-1 file; this
module joins the sections behind a
front part (title page, table of contents) so that the result is one document a
screen reader reads as one:

- pages are appended in order, and each section's structure tree is hung under the
  front part's Document element, with its ParentTree entries renumbered;
- bookmarks are rebuilt from every part's headings, at their new page numbers;
- page numbers "N (M)" are stamped on every page as a pagination artifact (they are
  drawn from a small untagged WeasyPrint render of footers only, so the font is
  embedded like the rest), which is why a section never depends on where it lands.

The front part's catalogue entries (language sv, title, MarkInfo, the PDF/UA
identification in its XMP metadata) become the document's.
"""

import io
from dataclasses import dataclass

import pikepdf

FOOTER_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
PAGE_NUMBER_NAME = "/SvPageNumber"


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    page: int  # 0-based, within its part
    top: float | None = None

    def as_json(self) -> list:
        return [self.level, self.title, self.page, self.top]

    @classmethod
    def from_json(cls, value) -> "Heading":
        level, title, page, top = value
        return cls(int(level), str(title), int(page), top)


def _parent_tree_entries(root) -> list[tuple[int, object]]:
    """(key, value) pairs of a structure tree's ParentTree (a flat number tree)."""
    tree = root.get("/ParentTree")
    if tree is None:
        return []
    entries = []

    def walk(node):
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums), 2):
                entries.append((int(nums[i]), nums[i + 1]))
        for kid in node.get("/Kids", []):
            walk(kid)

    walk(tree)
    return entries


def merge(
    front: bytes, parts: list[bytes], footers: bytes | None, *, outline: list[Heading]
) -> bytes:
    """One tagged PDF: the front part, then every part, with page numbers stamped on.

    `outline` holds the bookmarks at their final (0-based) page numbers, front part's
    included. `footers`, if given, is a PDF with one page per page of the result whose
    only content is that page's number.
    """
    out = pikepdf.open(io.BytesIO(front))
    root = out.Root.StructTreeRoot
    document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    entries = _parent_tree_entries(root)
    next_key = max((key for key, _value in entries), default=-1) + 1

    for data in parts:
        source = pikepdf.open(io.BytesIO(data))
        offset = next_key
        for page in source.pages:
            out.pages.append(page)
            copied = out.pages[-1].obj
            if "/StructParents" in copied:
                copied.StructParents = int(copied.StructParents) + offset
            for annotation in copied.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        # The same foreign-object copier that copied the pages: /Pg references land on them.
        source_root = source.Root.StructTreeRoot
        source_kids = source_root.K if isinstance(source_root.K, pikepdf.Array) else [source_root.K]
        for source_document in source_kids:
            copied_document = _copy(out, source_document)
            kids = copied_document.get("/K", [])
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary):
                    kid.P = document
                document.K.append(kid)
        highest = -1
        for key, value in _parent_tree_entries(source_root):
            entries.append((key + offset, _copy(out, value)))
            highest = max(highest, key)
        next_key = offset + highest + 1

    nums = pikepdf.Array()
    for key, value in sorted(entries, key=lambda entry: entry[0]):
        nums.append(key)
        nums.append(value)
    root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=nums))
    root.ParentTreeNextKey = next_key

    _rebuild_outline(out, outline)
    if footers is not None:
        _stamp(out, footers)
    buffer = io.BytesIO()
    # A deterministic /ID: the same parts give the same bytes, stored once.
    out.save(
        buffer,
        compress_streams=True,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return buffer.getvalue()


def _copy(out: pikepdf.Pdf, value):
    """A foreign object in `out`: indirect objects through qpdf's copier (which keeps one
    copy per object, so references between them hold), direct arrays element-wise."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(out, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(out, item) for key, item in value.items()})
    return value


def _rebuild_outline(out: pikepdf.Pdf, headings: list[Heading]) -> None:
    with out.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, list]] = [(0, outline.root)]
        for heading in headings:
            item = pikepdf.OutlineItem(heading.title, heading.page, "XYZ", top=heading.top)
            while stack[-1][0] >= heading.level:
                stack.pop()
            stack[-1][1].append(item)
            stack.append((heading.level, item.children))


def _stamp(out: pikepdf.Pdf, footers: bytes) -> None:
    """Draw page i of `footers` on page i of `out`, marked as a pagination artifact."""
    footer_pdf = pikepdf.open(io.BytesIO(footers))
    if len(footer_pdf.pages) != len(out.pages):
        raise ValueError(f"{len(footer_pdf.pages)} sidfötter till {len(out.pages)} sidor")
    for number, (page, footer) in enumerate(zip(out.pages, footer_pdf.pages, strict=True)):
        form = out.copy_foreign(footer.as_form_xobject())
        # Named by the page (pikepdf would pick a random name): the same input, the same
        # bytes. By the page, since the pages of one part share their resources.
        name = page.add_resource(
            form, pikepdf.Name.XObject, pikepdf.Name(f"{PAGE_NUMBER_NAME}{number + 1}")
        )
        # The page's own content may leave the graphics state changed (WeasyPrint flips
        # the y axis outside any q … Q): keep it in a q … Q of its own.
        page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
        page.contents_add(
            pikepdf.Stream(
                out,
                b"\nQ\n" + FOOTER_ARTIFACT + b"q " + str(name).encode("ascii") + b" Do Q\nEMC\n",
            )
        )
