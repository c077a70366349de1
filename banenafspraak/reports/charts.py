"""Charts for the regional reports (reports/build.py): inline SVG, drawn at build time.

matplotlib is the chart library here: it renders SVG in pure Python (no JavaScript
engine, no browser, nothing fetched), deterministically, and a missing value (NaN)
simply breaks a line, which is what a suppressed figure needs: a gap, never an
invented value. Text stays text in the SVG (svg.fonttype "none"), so charts are
searchable, small, and read by screen readers through their <title> and <desc>.

Every function takes the quarter labels and series of floats (NaN where a figure is
suppressed or absent) and returns one <svg> element as a string, sized by its viewBox
so the page's CSS scales it (width 100 %).
"""
from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from html import escape

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

# Okabe-Ito colours (safe for colour-blind readers), with line styles and markers so
# that no series is told apart by colour alone.
BLUE, ORANGE, GREEN, VERMILLION, GREY = "#0072B2", "#B35900", "#007A5A", "#C0392B", "#555555"

matplotlib.rcParams.update({
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": GREY,
    "axes.labelcolor": "#222222",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "legend.frameon": False,
})


def dutch_number(value: float, pos: int | None = None) -> str:
    """Axis labels: thousands with a dot, decimals with a comma (3.062; 2,5)."""
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _svg(fig, chart_id: str, title: str, description: str) -> str:
    buffer = io.StringIO()
    matplotlib.rcParams["svg.hashsalt"] = chart_id  # stable ids, unique per chart on a page
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # matplotlib numbers its groups per figure (figure_1, axes_1, ...): prefix every id and
    # every reference to it with the chart's id, so ids stay unique on a page of charts
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{chart_id}-{m[1]}"', svg)
    svg = re.sub(r'(url\(#|href="#)([^")]+)', lambda m: f"{m[1]}{chart_id}-{m[2]}", svg)
    # scale with the page: drop the fixed size, keep the viewBox
    svg = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r"<svg\1", svg, count=1)
    svg = svg.replace("<svg", f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart"', 1)
    head_end = svg.index(">") + 1
    svg = (svg[:head_end] + f'<title id="{chart_id}-t">{escape(title)}</title>'
           f'<desc id="{chart_id}-d">{escape(description)}</desc>' + svg[head_end:])
    # matplotlib's own <metadata> (RDF) is not needed on a page
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)


def _axes(labels: list[str], height: float = 2.8):
    fig, ax = plt.subplots(figsize=(6.4, height))
    ax.yaxis.set_major_formatter(FuncFormatter(dutch_number))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    positions = list(range(len(labels)))
    step = max(1, math.ceil(len(labels) / 8))
    ax.set_xticks(positions[::step], [labels[i] for i in positions[::step]])
    ax.tick_params(axis="x", labelsize=8.5)
    ax.margins(x=0.02)
    return fig, ax, positions


def _hidden_markers(ax, positions, values, label):
    """An open circle on the axis where a value is hidden, so a gap reads as 'hidden', not 'zero'."""
    hidden = [p for p, v in zip(positions, values, strict=False) if math.isnan(v)]
    if hidden:
        ax.plot(hidden, [0] * len(hidden), linestyle="none", marker="o", markersize=4, markerfacecolor="white",
                markeredgecolor=GREY, clip_on=False, label=label)
    return bool(hidden)


def _finish(ax, everything: list[float], ncol: int) -> None:
    """Axis from zero; a note on the chart when every value in it is hidden."""
    shown = [v for v in everything if not math.isnan(v)]
    top = max(shown + [0.0])
    ax.set_ylim(min(shown + [0.0]), max(top * 1.12, 5))
    if not shown:
        ax.text(0.5, 0.55, "Alle cijfers in deze grafiek zijn geheim (.)", transform=ax.transAxes, ha="center",
                va="center", fontsize=10, color="#333333")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=8.5, ncol=ncol)


def line_chart(chart_id: str, title: str, description: str, labels: list[str],
               series: list[tuple[str, list[float], str]], steps: Sequence[tuple[str, list[float]]] = ()) -> str:
    """Lines over quarters (gaps where NaN); `steps` are drawn as dashed step lines (targets)."""
    fig, ax, positions = _axes(labels)
    styles = [(BLUE, "-", "o"), (ORANGE, "-", "s"), (GREEN, "-", "^")]
    everything: list[float] = []
    legend_hidden: str | None = "geheim (.)"
    for (name, values, _), (colour, style, marker) in zip(series, styles, strict=False):
        ax.plot(positions, values, color=colour, linestyle=style, marker=marker, markersize=3.5, linewidth=2,
                label=name)
        everything += values
    for name, values in steps:
        ax.step(positions, values, where="mid", color=VERMILLION, linestyle="--", linewidth=1.6, label=name)
        everything += values
    for _, values, _ in series:
        if _hidden_markers(ax, positions, values, legend_hidden):
            legend_hidden = None
    _finish(ax, everything, ncol=2)
    return _svg(fig, chart_id, title, description)


def bar_chart(chart_id: str, title: str, description: str, labels: list[str],
              series: list[tuple[str, list[float]]]) -> str:
    """Grouped bars per quarter; a hidden value leaves its bar out and marks the axis."""
    fig, ax, positions = _axes(labels)
    colours = [BLUE, ORANGE, GREEN]
    hatches = ["", "//", ".."]
    width = 0.8 / max(1, len(series))
    everything: list[float] = []
    legend_hidden: str | None = "geheim (.)"
    for index, ((name, values), colour, hatch) in enumerate(zip(series, colours, hatches, strict=False)):
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        shown = [(o, v) for o, v in zip(offsets, values, strict=False) if not math.isnan(v)]
        ax.bar([o for o, _ in shown], [v for _, v in shown], width=width * 0.95, color=colour, hatch=hatch,
               edgecolor="white", linewidth=0.5, label=name)
        if _hidden_markers(ax, offsets, values, legend_hidden):
            legend_hidden = None
        everything += values
    ax.axhline(0, color=GREY, linewidth=0.8)
    _finish(ax, everything, ncol=3)
    return _svg(fig, chart_id, title, description)
