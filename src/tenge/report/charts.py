"""The report's charts: inline SVG drawn by matplotlib (an optional extra, `tenge[report]`), text kept as
text, byte-identical from one build to the next (a fixed hash salt, no date)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from tenge.errors import InvalidInput

_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)  # RDF about the tool: not for pages
_COLOURS = (
    "#1f4e79",
    "#b03a2e",
    "#1e7b4b",
    "#7d3c98",
    "#9a6700",
    "#2e4053",
    "#117a8b",
    "#6e2c00",
    "#5d6d7e",
    "#c2185b",
)


def pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend, set for deterministic SVG; InvalidInput when missing."""
    try:
        import matplotlib
    except ImportError:
        raise InvalidInput("the report's charts need matplotlib: pip install 'tenge[report]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# Set for each chart only (`rc_context`): the caller's own matplotlib settings are left as they were.
_SETTINGS = {
    "svg.fonttype": "none",  # text stays text: searchable, translatable, sharp
    "svg.hashsalt": "tenge-report",  # the same ids in every build
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _svg(plt: Any, figure: Any, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    text = _METADATA.sub("", _PROLOG.sub("", buffer.getvalue(), count=1), count=1)
    # An accessible name for the picture; the numbers behind it are in the tables and the open data.
    return text.replace("<svg ", f'<svg role="img" aria-label="{_attribute(title)}" ', 1)


def supply_chart(points: Sequence[tuple[int, int]], title: str) -> str:
    """A step line of the supply (KZT) over time, from (unix time, supply in tiyn) points."""
    plt = pyplot()
    with plt.rc_context(_SETTINGS):
        return _supply(plt, points, title)


def _supply(plt: Any, points: Sequence[tuple[int, int]], title: str) -> str:
    figure, axes = plt.subplots(figsize=(8, 3))
    if points:
        times = [datetime.fromtimestamp(t, UTC) for t, _ in points]
        values = [s / 100 for _, s in points]
        axes.step(times, values, where="post", color=_COLOURS[0], linewidth=1.8)
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.set_ylabel("KZT")
    axes.set_ylim(bottom=0)
    axes.ticklabel_format(axis="y", style="plain", useOffset=False)
    axes.yaxis.set_major_formatter(_thousands())
    axes.grid(axis="y", color="#dddddd")
    return _svg(plt, figure, title)


def months_chart(months: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], title: str) -> str:
    """Stacked bars: interventions per month, one colour per kind (label, counts per month)."""
    plt = pyplot()
    with plt.rc_context(_SETTINGS):
        return _months(plt, months, series, title)


def _months(plt: Any, months: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], title: str) -> str:
    figure, axes = plt.subplots(figsize=(8, 3))
    bottoms = [0] * len(months)
    for number, (label, counts) in enumerate(series):
        axes.bar(months, counts, bottom=bottoms, label=label, color=_COLOURS[number % len(_COLOURS)])
        bottoms = [b + c for b, c in zip(bottoms, counts, strict=True)]
    axes.set_ylabel("count")
    axes.grid(axis="y", color="#dddddd")
    axes.set_axisbelow(True)
    if series:
        axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _svg(plt, figure, title)


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: f"{value:,.0f}".replace(",", " "))


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
