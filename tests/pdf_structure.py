"""Reading a tagged PDF back: is its structure tree whole, and where do its headings land?

`structure_problems(data)` walks every page's content stream and checks that each
marked-content id (MCID) on the page is claimed through the ParentTree by a
structure element on that same page, and that every structure element hangs from
the tree's root. A merge that renumbered a part's ParentTree wrongly, or lost a
part's elements, shows up here. It also checks the catalogue entries PDF/UA needs.
"""

import io

import pikepdf


def _page_of(element):
    while element is not None and isinstance(element, pikepdf.Dictionary):
        if "/Pg" in element:
            return element.Pg
        element = element.get("/P")
    return None


def _mcids(page) -> set[int]:
    found = set()
    for operands, operator in pikepdf.parse_content_stream(page):
        if (
            str(operator) == "BDC"
            and len(operands) == 2
            and isinstance(operands[1], pikepdf.Dictionary)
            and "/MCID" in operands[1]
        ):
            found.add(int(operands[1].MCID))
    return found


def _claims(element, mcid: int) -> bool:
    kids = element.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    for kid in kids:
        if isinstance(kid, int) and int(kid) == mcid:
            return True
        if (
            isinstance(kid, pikepdf.Dictionary)
            and kid.get("/Type") == "/MCR"
            and int(kid.MCID) == mcid
        ):
            return True
    return False


def structure_problems(data: bytes) -> list[str]:
    problems = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        if str(root.get("/Lang", "")) != "sv":
            problems.append("språket är inte sv")
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            problems.append("MarkInfo/Marked saknas")
        if b"pdfuaid:part" not in root.Metadata.read_bytes():
            problems.append("PDF/UA-identifiering saknas i metadata")
        tree = root.StructTreeRoot
        parents = {}
        nums = tree.ParentTree.Nums
        for i in range(0, len(nums), 2):
            parents[int(nums[i])] = nums[i + 1]
        page_ids = {page.objgen for page in pdf.pages}
        for number, page in enumerate(pdf.pages, start=1):
            mcids = _mcids(page)
            if not mcids:
                continue
            key = page.obj.get("/StructParents")
            if key is None or int(key) not in parents:
                problems.append(f"sidan {number}: StructParents saknas i ParentTree")
                continue
            claimed = parents[int(key)]
            for mcid in sorted(mcids):
                if mcid >= len(claimed) or not isinstance(claimed[mcid], pikepdf.Dictionary):
                    problems.append(f"sidan {number}: MCID {mcid} saknar element")
                    continue
                element = claimed[mcid]
                if not _claims(element, mcid):
                    problems.append(f"sidan {number}: MCID {mcid} pekar på fel element")
                page_ref = _page_of(element)
                if page_ref is None or page_ref.objgen != page.objgen:
                    problems.append(f"sidan {number}: MCID {mcid} hör till en annan sida")
        # Every element reaches the root through /P, and its /Pg is a page of this file.
        stack = list(tree.K) if isinstance(tree.K, pikepdf.Array) else [tree.K]
        seen = 0
        while stack:
            element = stack.pop()
            if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
                continue
            seen += 1
            if "/Pg" in element and element.Pg.objgen not in page_ids:
                problems.append(f"{element.S} pekar på en sida utanför dokumentet")
            parent, steps = element.get("/P"), 0
            while parent is not None and parent.objgen != tree.objgen and steps < 100:
                parent, steps = parent.get("/P"), steps + 1
            if parent is None or parent.objgen != tree.objgen:
                problems.append(f"{element.S} når inte roten")
            kids = element.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
        if not seen:
            problems.append("strukturträdet är tomt")
    return problems


def outline(data: bytes) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) of every bookmark, in order."""
    items = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}

        def walk(children, level):
            for item in children:
                items.append((level, item.title, index.get(item.destination[0].objgen)))
                walk(item.children, level + 1)

        with pdf.open_outline() as tree:
            walk(tree.root, 1)
    return items


def element_kinds(data: bytes) -> dict[str, int]:
    """How many structure elements of each kind (/H2, /Table, /TH …) the tree holds."""
    counts: dict[str, int] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:
            element = stack.pop()
            if isinstance(element, pikepdf.Array):
                stack.extend(element)
            elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
                counts[str(element.S)] = counts.get(str(element.S), 0) + 1
                stack.append(element.get("/K"))
    return counts
