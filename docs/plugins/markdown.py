"""Markdown built by the site's macros, in one place so every generated table looks alike."""


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; ``|`` inside a cell is escaped so it cannot split the cell."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
