from __future__ import annotations

import xml.etree.ElementTree as ET

from ansinh.lib.svgchart import Point, Series, bar_chart, colour_scale, line_chart, point_map

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_heights_are_proportional_to_the_values() -> None:
    svg = ET.fromstring(bar_chart(labels=["a", "b"], series=[Series("s", [50, 100])]))
    bars = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    heights = [float(r.attrib["height"]) for r in bars]
    assert len(heights) == 2
    assert abs(heights[1] - 2 * heights[0]) < 0.2


def test_labels_are_escaped() -> None:
    svg = bar_chart(labels=["<b>&"], series=[Series("x<y", [1])], title="a & b")
    ET.fromstring(svg)  # well-formed
    assert "&lt;b&gt;&amp;" in svg


def test_a_line_breaks_where_a_value_is_missing() -> None:
    svg = ET.fromstring(line_chart(labels=["1", "2", "3", "4", "5"], series=[Series("s", [1, 2, None, 3, 4])]))
    assert len(list(svg.iter(f"{SVG}polyline"))) == 2


def test_the_map_places_communes_by_coordinates_and_greys_those_without_a_figure() -> None:
    svg = ET.fromstring(
        point_map(points=[Point(105.0, 21.0, 10, "west"), Point(106.0, 21.0, None, "east")], low=0, high=100)
    )
    dots = [c for c in svg.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    west, east = sorted(dots, key=lambda c: float(c.attrib["cx"]))
    assert "west" in west.find(f"{SVG}title").text  # type: ignore[union-attr,operator]
    assert east.attrib["fill"] == "#bbbbbb"


def test_the_colour_scale_runs_from_red_to_green() -> None:
    assert colour_scale(0, 0, 100) == "#d55e00"
    assert colour_scale(100, 0, 100) == "#009e73"
    assert colour_scale(None, 0, 100) == "#bbbbbb"
