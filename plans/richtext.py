"""The plans' text fields: paragraphs, lists, links, bold and italic, sanitised on save.

Kansli staff write either HTML (what the page renders) or a light plain-text markup,
which is what a textarea invites: blank lines separate paragraphs, lines starting
with "- " or "• " make a list, **bold**, *italic* and [text](https://…) links. Either
way the result goes through nh3 with a short allow-list before it is stored, so what
the templates mark safe is only ever these tags.
"""

import re

import nh3
from django.utils.html import escape, strip_tags

TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "em", "b", "i"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_BULLET = re.compile(r"^\s*(?:[-•*]|o)\s+")
_LINK = re.compile(r"\[([^\]]+)\]\(((?:https?://|mailto:)[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(text: str) -> str:
    text = escape(text)
    text = _LINK.sub(r'<a href="\2">\1</a>', text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


def markup_to_html(text: str) -> str:
    """Plain-text markup to HTML: paragraphs, "- " lists, **bold**, *italic*, [links](url)."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        html, items, para = [], [], []
        for line in lines:
            if _BULLET.match(line) and not line.lstrip().startswith("**"):
                if para:
                    html.append(f"<p>{'<br>'.join(_inline(p) for p in para)}</p>")
                    para = []
                items.append(_inline(_BULLET.sub("", line, count=1).strip()))
            else:
                if items:
                    html.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
                    items = []
                para.append(line.strip())
        if para:
            html.append(f"<p>{'<br>'.join(_inline(p) for p in para)}</p>")
        if items:
            html.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        blocks.append("".join(html))
    return "".join(blocks)


def sanitise(value: str) -> str:
    """HTML limited to paragraphs, lists, links, bold and italic (markup converted first)."""
    value = (value or "").strip()
    if not value:
        return ""
    if not re.search(r"</?[a-zA-Z][^>]*>", value):
        value = markup_to_html(value)
    return nh3.clean(
        value,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


def sanitise_inline(value: str) -> str:
    """A one-paragraph text (a goal item): the same rules, without the wrapping <p>."""
    html = sanitise(value)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def plain(value: str) -> str:
    """The text without tags, for comparisons, exports and the history page."""
    text = re.sub(r"</(p|li)>|<br\s*/?>", "\n", value or "")
    return re.sub(r"\n{2,}", "\n", strip_tags(text)).strip()
