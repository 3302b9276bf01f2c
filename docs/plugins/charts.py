"""Benchmark charts as inline SVG that reads in both colour schemes, on a phone and aloud.

Why each choice:

- Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies), written
  into the SVG as CSS variables (``--bench-c1`` ...), so ``site.css`` can give the dark scheme
  lighter tones; text, axes and ticks use ``currentColor`` and the background is transparent,
  so no chart is a white block in dark mode.
- Each series also has its own marker and is labelled where it ends, so nothing depends on
  colour alone and no legend covers the data.
- Each chart has a ``<title>`` and a ``<desc>`` (a sentence summarising its figures) and
  ``role="img"``, so a screen reader names it; the table with the same figures follows it.
- Charts are drawn narrow with large text, so scaled down to a phone's width the text stays
  legible.

Everything is driven by the cells present in the result file: a new endpoint, server or
framework shows up without a change here.
"""

from __future__ import annotations

import functools
import html
import io
import itertools
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt

#: Okabe-Ito, most distinct first; site.css maps ``--bench-cN`` to a tone per scheme.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
MARKERS = ("o", "s", "D", "^", "v", "P", "X")
#: Stand-ins that matplotlib writes and the SVG post-processing replaces.
FOREGROUND = "#010203"
GRID = "#040506"
WIDTH_IN = 5.0
STYLE = {
    "font.size": 11,
    "text.color": FOREGROUND,
    "axes.labelcolor": FOREGROUND,
    "axes.edgecolor": FOREGROUND,
    "xtick.color": FOREGROUND,
    "ytick.color": FOREGROUND,
    "grid.color": GRID,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "verified-guide",
    "svg.fonttype": "none",
}

Cell = dict[str, Any]


#: Charts kept per process (``drawn_once``); a new result file adds its few, so a cap is enough.
DRAWN_LIMIT = 64


def drawn_once(draw: Callable[..., str]) -> Callable[..., str]:
    """``draw`` run once per process for the same arguments (a result document and the chart's
    own), its SVG reused after: ``mkdocs serve`` rebuilds every page on each save, and laying
    out a chart's text in matplotlib was the largest part of a rebuild after the search index.
    The key is the arguments themselves, so an edited result file draws afresh."""
    drawn: dict[str, str] = {}

    @functools.wraps(draw)
    def chart(*args: Any) -> str:
        key = json.dumps(args, sort_keys=True)
        if key not in drawn:
            if len(drawn) >= DRAWN_LIMIT:
                drawn.clear()
            drawn[key] = draw(*args)
        return drawn[key]

    return chart


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def marker(index: int) -> str:
    return MARKERS[index % len(MARKERS)]


def _themed(svg: str) -> str:
    """Stand-in and palette colours -> currentColor and CSS variables."""
    svg = svg.replace(FOREGROUND, "currentColor")
    svg = svg.replace(GRID, "var(--md-default-fg-color--lightest)")
    for n, hex_colour in enumerate(PALETTE, 1):
        svg = svg.replace(hex_colour, f"var(--bench-c{n}, {hex_colour})")
    return svg


def to_svg(figure: Any, chart_id: str, title: str, description: str) -> str:
    """Deterministic, accessible, theme-following inline SVG of ``figure``, closed after."""
    buffer = io.StringIO()
    with plt.rc_context(STYLE):
        figure.savefig(
            buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True,
            bbox_inches="tight",
        )  # fmt: skip
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    label = f"{chart_id}-title {chart_id}-desc"
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{label}" id="{chart_id}" ',
        1,
    )
    head_end = svg.index(">") + 1
    svg = (
        svg[:head_end]
        + f'<title id="{chart_id}-title">{html.escape(title)}</title>'
        + f'<desc id="{chart_id}-desc">{html.escape(description)}</desc>'
        + svg[head_end:]
    )
    return '<div class="bench-chart">' + " ".join(_themed(svg).splitlines()) + "</div>\n"


def figure(height_in: float, ncols: int = 1, nrows: int = 1, **kwargs: Any) -> tuple[Any, Any]:
    with plt.rc_context(STYLE):
        return plt.subplots(nrows, ncols, figsize=(WIDTH_IN, height_in), squeeze=False, **kwargs)


def dot_plot(
    rows: Sequence[tuple[str, float, float, float]],
    colours: Sequence[int],
    markers: Sequence[int],
    xlabel: str,
    value_format: str = "{:,.0f}",
) -> Any:
    """One row per (label, median, low, high): a marker at the median, a line from low to
    high, and the median written beside it, so no bar or legend is needed."""
    fig, axes = figure(0.55 * len(rows) + 1.0)
    ax = axes[0][0]
    with plt.rc_context(STYLE):
        top = max(high for _, _, _, high in rows)
        for y, ((_, median, low, high), c, m) in enumerate(
            zip(rows, colours, markers, strict=True)
        ):
            ax.plot([low, high], [y, y], color=colour(c), linewidth=2, solid_capstyle="butt")
            ax.plot([median], [y], marker=marker(m), color=colour(c), markersize=8, linestyle="")
            ax.annotate(
                value_format.format(median), (high, y), xytext=(6, 0),
                textcoords="offset points", va="center", fontsize=10,
            )  # fmt: skip
        ax.set_yticks(range(len(rows)), [label for label, *_ in rows], fontsize=10)
        if value_format.endswith("%}"):
            ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.18)
        ax.grid(axis="x", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel(xlabel)
    return fig


def spread_labels(ends: list[float], minimum: float) -> list[float]:
    """Label positions near ``ends`` but at least ``minimum`` apart (in data units), so the
    direct labels at the right of a line chart do not sit on top of each other."""
    order = sorted(range(len(ends)), key=lambda i: ends[i])
    placed = list(ends)
    for previous, current in itertools.pairwise(order):
        placed[current] = max(placed[current], placed[previous] + minimum)
    return placed


def line_panels(
    panels: Sequence[tuple[str, Sequence[tuple[str, Sequence[tuple[int, float]]]]]],
    levels: Sequence[int],
    ylabel: str,
) -> Any:
    """Small multiples: one panel per group of series, each series labelled at its end."""
    ncols = min(2, len(panels))
    nrows = -(-len(panels) // ncols)
    fig, axes = figure(3.0 * nrows + 0.4, ncols=ncols, nrows=nrows)
    # One colour and marker per series name across panels: "granian" looks alike everywhere.
    names = list(dict.fromkeys(name for _, series in panels for name, _ in series))
    with plt.rc_context(STYLE):
        for n, (title, series) in enumerate(panels):
            ax = axes[n // ncols][n % ncols]
            top = max(v for _, points in series for _, v in points)
            ends = [points[-1][1] for _, points in series]
            placed = spread_labels(ends, top * 0.09)
            for (name, points), y_label in zip(series, placed, strict=True):
                i = names.index(name)
                xs, ys = zip(*points, strict=True)
                ax.plot(xs, ys, color=colour(i), marker=marker(i), linewidth=2, markersize=6)
                ax.annotate(
                    name, (xs[-1], y_label), xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=9, color=colour(i),
                )  # fmt: skip
            ax.set_title(title, fontsize=11, loc="left")
            ax.set_xscale("log", base=2)
            ax.set_xticks(levels, [str(n) for n in levels])
            ax.minorticks_off()
            ax.set_ylim(0, top * 1.15)
            ax.grid(axis="y", linewidth=0.6)
            ax.set_xlabel("connections")
            if n % ncols == 0:
                ax.set_ylabel(ylabel)
        for extra in range(len(panels), nrows * ncols):
            axes[extra // ncols][extra % ncols].set_visible(False)
        fig.tight_layout()
    return fig
