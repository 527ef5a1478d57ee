"""Graph overlays: colour the credentials by a complexity metric (heat map) or by the most
severe finding, with a legend that explains the scale.

The mapping from values to colours is a pair of pure functions (:func:`heat_colours`,
:func:`finding_colours`); the graph items only paint the colour they are given.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from pathplanner.graph.findings import FindingSeverity

KIND = "kind"
FINDINGS = "findings"
METRIC_LABELS: dict[str, str] = {
    "blocking": "Blocking factor",
    "delay": "Delay factor",
    "centrality": "Centrality",
    "complexity": "Structural complexity",
}
METRIC_MEANING: dict[str, str] = {
    "blocking": "how many credentials it blocks (needed, directly or not, before them)",
    "delay": "credentials on the longest prerequisite chain through it",
    "centrality": "how many long pathways pass through it",
    "complexity": "blocking + delay: how crucial it is to the pathway",
}
# Sequential light-to-dark scale (ColorBrewer YlOrRd, 5 classes): readable with black text.
HEAT_SCALE: tuple[str, ...] = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
HEAT_ZERO = "#f1f5f9"  # value 0: nothing to colour
NO_VALUE = "#e5e7eb"  # not measured (outside the measured pathway)
SEVERITY_COLOURS: dict[FindingSeverity, str] = {
    FindingSeverity.ERROR: "#f87171",
    FindingSeverity.WARNING: "#fbbf24",
    FindingSeverity.INFO: "#93c5fd",
}
NO_FINDING = "#f1f5f9"


@dataclass(frozen=True)
class HeatBand:
    low: int
    high: int
    colour: str


def heat_bands(values: Mapping[str, int]) -> list[HeatBand]:
    """Up to five equal-width bands from 1 to the largest value (0 has its own colour)."""
    top = max(values.values(), default=0)
    if top <= 0:
        return []
    count = min(len(HEAT_SCALE), top)
    bands = []
    for index in range(count):
        low = 1 + (top * index) // count
        high = (top * (index + 1)) // count
        colour = HEAT_SCALE[round(index * (len(HEAT_SCALE) - 1) / max(count - 1, 1))]
        bands.append(HeatBand(low, high, colour))
    return bands


def heat_colours(values: Mapping[str, int]) -> dict[str, str]:
    """Credential -> fill colour for a metric; credentials without a value are not included."""
    bands = heat_bands(values)
    colours = {}
    for cid, value in values.items():
        colour = HEAT_ZERO
        for band in bands:
            if band.low <= value <= band.high:
                colour = band.colour
                break
        colours[cid] = colour
    return colours


def finding_colours(overlay: Mapping[str, FindingSeverity]) -> dict[str, str]:
    """Credential -> fill colour of its most severe finding."""
    return {cid: SEVERITY_COLOURS[severity] for cid, severity in overlay.items()}


DARK_TEXT, LIGHT_TEXT = "#111827", "#ffffff"


def _luminance(colour: str) -> float:
    """WCAG relative luminance of "#rrggbb"."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def text_colour_on(fill: str) -> str:
    """Dark or white text, whichever contrasts more with ``fill``: black on the heat scale's
    darkest red was hard to read (contrast 3:1)."""
    light = _luminance(fill)
    dark_contrast = (light + 0.05) / (_luminance(DARK_TEXT) + 0.05)
    light_contrast = 1.05 / (light + 0.05)
    return DARK_TEXT if dark_contrast >= light_contrast else LIGHT_TEXT


def swatch(colour: str, text: str, *, foreground: str | None = None) -> str:
    """A legend entry: ``text`` on ``colour``, in ``foreground`` or the dark or white text that
    reads best on it. Entries are inline and joined by spaces, so a legend wraps in a narrow
    window (a one-row table held the window at least as wide as all its entries)."""
    words = "&nbsp;".join(html.escape(word) for word in text.split(" "))
    return (
        f"<span style='background-color:{colour}; color:{foreground or text_colour_on(colour)}'>"
        f"&nbsp;{words}&nbsp;</span>"
    )


def swatches(entries: list[str]) -> str:
    """Legend entries on a line that wraps between entries."""
    return " &nbsp;".join(entries)


def heat_legend(metric: str, values: Mapping[str, int], scope: str) -> str:
    """Legend HTML: what the metric means, and the value range of each colour."""
    bands = heat_bands(values)
    cells = [swatch(HEAT_ZERO, "0")]
    cells += [
        swatch(b.colour, str(b.low) if b.low == b.high else f"{b.low}-{b.high}") for b in bands
    ]
    cells.append(swatch(NO_VALUE, "not measured (not a prerequisite: transfer only)"))
    title = (
        f"<b>{METRIC_LABELS[metric]}</b> ({html.escape(scope)}): {METRIC_MEANING[metric]}. "
        f"Total {sum(values.values()):,}."
    )
    return f"{title}<br>{swatches(cells)}"


def finding_legend(overlay: Mapping[str, FindingSeverity]) -> str:
    counts = {s: sum(1 for v in overlay.values() if v is s) for s in SEVERITY_COLOURS}
    cells = [
        swatch(colour, f"{severity.value} ({counts[severity]})")
        for severity, colour in SEVERITY_COLOURS.items()
    ]
    cells.append(swatch(NO_FINDING, "no finding"))
    return (
        "<b>Findings</b>: each credential in the colour of its most severe finding "
        f"(Gaps panel).<br>{swatches(cells)}"
    )
