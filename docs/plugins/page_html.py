"""Touch-ups to each page's HTML that Markdown cannot express (called from ``hooks.py``).

Tables: every body cell gets its column's header as ``data-label``, and tables of three or more
columns the attribute ``data-stackable`` (not a class: Material styles only tables without
one), so on a phone ``docs/assets/site/site.css`` shows each row as a
block of "header: value" lines instead of columns that run off the screen.

Code: blocks of code get ``data-search-exclude``, which Material's search plugin honours, so
search results lead with headings and prose instead of previews of code.

Literals: a value from the data shown as inline code (``code`` in ``markdown.py``) is raw HTML,
so the glossary's abbreviations were marked inside it, as in prose; inside code they are taken
out again, as Markdown's own code spans never get them.

Tabs: the framework tab labels are adjacent ``<label>`` elements; the search index takes the
page's text, where they ran together as "FastAPIDjangoFlask". A space between them fixes that
and changes nothing on screen (they sit in a flex box).
"""

from __future__ import annotations

import html
import re

TABLE = re.compile(r"<table>(.*?)</table>", re.S)
HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
BODY_CELL = re.compile(r"<td\b")
CODE_BLOCK = re.compile(r'<div class="([^"]*\bhighlight\b[^"]*)">')
TAG = re.compile(r"<[^>]+>")
INLINE_CODE = re.compile(r"<code>(.*?)</code>", re.S)
ABBREVIATION = re.compile(r"<abbr\b[^>]*>([^<]*)</abbr>")
#: Tables this wide do not fit a phone's width as columns.
STACK_FROM_COLUMNS = 3


def _labelled_row(row: re.Match[str], headers: list[str]) -> str:
    cells = iter(headers)

    def label(_: re.Match[str]) -> str:
        header = next(cells, "")
        return f'<td data-label="{html.escape(header)}"' if header else "<td"

    return "<tr>" + BODY_CELL.sub(label, row.group(1)) + "</tr>"


def _labelled_table(match: re.Match[str]) -> str:
    inner = match.group(1)
    headers = [html.unescape(TAG.sub("", h)).strip() for h in HEADER_CELL.findall(inner)]
    if not headers:
        return match.group(0)
    body = ROW.sub(lambda row: _labelled_row(row, headers), inner)
    stack = " data-stackable" if len(headers) >= STACK_FROM_COLUMNS else ""
    return f"<table{stack}>{body}</table>"


def label_table_cells(page_html: str) -> str:
    return TABLE.sub(_labelled_table, page_html)


def unmark_abbreviations_in_code(page_html: str) -> str:
    return INLINE_CODE.sub(
        lambda m: f"<code>{ABBREVIATION.sub(r'\1', m.group(1))}</code>", page_html
    )


def separate_tab_labels(page_html: str) -> str:
    return page_html.replace("</label><label", "</label> <label")


def exclude_code_from_search(page_html: str) -> str:
    return CODE_BLOCK.sub(r'<div class="\1" data-search-exclude>', page_html)
