"""Markdown built by the site's macros, in one place so every generated table looks alike."""


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; ``|`` inside a cell is escaped so it cannot split the cell."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def spoken_list(items: list[str]) -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c"."""
    if not items:
        raise ValueError("spoken_list: nothing to list")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


#: What Markdown and the site's extensions (mkdocs.yml) read as syntax inside a line of text,
#: and what HTML does. tests/test_site_parts.py renders data full of such signs with the
#: site's own extension list, so enabling one with syntax of its own fails there first.
SYNTAX = frozenset("`*_[]<>&|\\{}")


def literal(text: str) -> str:
    """Text from a data file or a run (a case's path or body, a header, a failure's reason)
    shown exactly as written, wherever a macro puts it in Markdown.

    A control character appears as its escape (a newline as ``\\n``), so a value cannot end a
    table row or hide itself; each sign in ``SYNTAX`` becomes a numeric character reference,
    so no backtick, ``*``, ``|``, ``<`` or ``{:`` (attr_list's attributes) in the data can be
    read as Markdown or as HTML.
    """
    visible = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )
    return "".join(f"&#{ord(c)};" if c in SYNTAX else c for c in visible)


def code(text: str) -> str:
    """``literal`` text as inline code."""
    return f"<code>{literal(text)}</code>"


def quoted_code(text: str) -> str:
    """Text a run recorded (a failure's reason: a response body, a server's log lines) as
    inline code on one line."""
    return code(" ".join(text.split()))
