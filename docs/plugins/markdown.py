"""Markdown built by the site's macros, in one place so every generated table looks alike."""

import html


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


def quoted_code(text: str) -> str:
    """Text a run recorded (a failure's reason: a response body, a server's log lines) as
    inline code that shows it literally: HTML-escaped, on one line, so neither markup in it nor
    a backtick can turn into page content."""
    return f"<code>{html.escape(' '.join(text.split()))}</code>"
