"""The overlay colour mappings (pure functions: values -> colours, legends)."""

from __future__ import annotations

from pathplanner.graph.findings import FindingSeverity
from pathplanner.ui.overlays import (
    HEAT_SCALE,
    HEAT_ZERO,
    SEVERITY_COLOURS,
    HeatBand,
    finding_colours,
    finding_legend,
    heat_bands,
    heat_colours,
    heat_legend,
    text_colour_on,
)


def test_heat_bands_split_one_to_the_largest_value_in_five() -> None:
    assert heat_bands({"a": 10, "b": 0}) == [
        HeatBand(1, 2, HEAT_SCALE[0]),
        HeatBand(3, 4, HEAT_SCALE[1]),
        HeatBand(5, 6, HEAT_SCALE[2]),
        HeatBand(7, 8, HEAT_SCALE[3]),
        HeatBand(9, 10, HEAT_SCALE[4]),
    ]


def test_few_values_use_the_ends_of_the_scale() -> None:
    assert heat_bands({"a": 2}) == [HeatBand(1, 1, HEAT_SCALE[0]), HeatBand(2, 2, HEAT_SCALE[4])]
    assert heat_bands({"a": 0}) == []
    assert heat_bands({}) == []


def test_heat_colours_by_band_and_zero() -> None:
    colours = heat_colours({"low": 1, "mid": 5, "top": 10, "none": 0})
    assert colours == {
        "low": HEAT_SCALE[0],
        "mid": HEAT_SCALE[2],
        "top": HEAT_SCALE[4],
        "none": HEAT_ZERO,
    }


def test_legends_explain_the_scale() -> None:
    legend = heat_legend("delay", {"a": 1, "b": 2}, "whole catalogue")
    assert "Delay factor" in legend
    assert "longest prerequisite chain" in legend
    assert "Total 3" in legend
    assert f"background-color:{HEAT_SCALE[4]};" in legend  # the top band, value 2
    overlay = {"a": FindingSeverity.ERROR, "b": FindingSeverity.INFO, "c": FindingSeverity.INFO}
    assert "info&nbsp;(2)" in finding_legend(overlay)  # an entry is not broken over lines
    assert finding_colours(overlay)["a"] == SEVERITY_COLOURS[FindingSeverity.ERROR]


def test_labels_on_the_darkest_red_are_white() -> None:
    # black on #bd0026 has a contrast of about 3:1; white about 6.6:1
    assert [text_colour_on(c) for c in HEAT_SCALE] == ["#111827"] * 4 + ["#ffffff"]
    assert text_colour_on(HEAT_ZERO) == "#111827"
    assert all(text_colour_on(c) == "#111827" for c in SEVERITY_COLOURS.values())
    legend = heat_legend("delay", {"a": 1, "b": 5}, "whole catalogue")
    assert f"background-color:{HEAT_SCALE[-1]}; color:#ffffff'>" in legend
