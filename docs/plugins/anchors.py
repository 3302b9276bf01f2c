"""HTML anchors shared by the benchmark pages and the claims page.

One module both import, so the claims page can link to a benchmark cell without the
benchmark package importing the claims page (which reads the benchmark results).
"""


def cell_anchor(config: str, endpoint: str, database: str = "sqlite") -> str:
    """A cell of the main tables (SQLite, one worker), or of the SQLite-against-PostgreSQL
    table for another database."""
    return f"cell-{config}-{endpoint}" + ("" if database == "sqlite" else f"-{database}")


def cost_anchor(framework: str) -> str:
    return f"cost-{framework}"
