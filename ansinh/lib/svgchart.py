"""Charts drawn on the server as SVG strings: the page shows them inline and the PDF embeds the same
text (ansinh.lib.pdf.OfficialDocument.svg), so a meeting's printout matches the screen.

Only what fpdf2's SVG renderer reads is used: rect, line, polyline, circle, text; colours as hex, no CSS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

# Colour-blind-safe palette (Okabe-Ito), in the order series take them.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
# The first name is the one ansinh.lib.pdf registers with fpdf2; browsers skip it and use the others.
FONT = "DejaVuSans, DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _number(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    return f"{value:g}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def _text(x: float, y: float, text: str, *, size: int = 11, anchor: str = "start", fill: str = "#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )


def _frame(width: int, height: int, title: str, body: list[str]) -> str:
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if title:
        head.append(_text(8, 18, title, size=13))
    return "\n".join([*head, *body, "</svg>"])


def _axes(
    left: float, top: float, plot_w: float, plot_h: float, top_value: float, fmt: Callable[[float], str]
) -> list[str]:
    parts: list[str] = []
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="#dddddd"/>')
        parts.append(_text(left - 4, y + 4, fmt(value), size=10, anchor="end", fill="#555"))
    return parts


def _plot_area(
    series: Sequence[Series], target: float | None, width: int, height: int, fmt: Callable[[float], str]
) -> tuple[float, float, float, float, float, list[str]]:
    """The plot's box, its top value (room for the highest value and the target) and the gridlines."""
    left, top, bottom = 56.0, 40.0, 56.0
    plot_w, plot_h = width - left - 12, height - top - bottom
    top_value = _nice_max(max([v or 0 for s in series for v in s.values] + [target or 0]))
    return left, top, plot_w, plot_h, top_value, _axes(left, top, plot_w, plot_h, top_value, fmt)


def _target_line(target: float, left: float, top: float, plot_w: float, plot_h: float, top_value: float) -> str:
    y = top + plot_h - plot_h * target / top_value
    return (
        f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
        'stroke="#D55E00" stroke-width="1.5" stroke-dasharray="6,4"/>'
    )


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts: list[str] = []
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, y, s.name, size=10))
        x += 24 + 6.5 * len(s.name)
    return parts


def bar_chart(
    *,
    labels: Sequence[str],
    series: Sequence[Series],
    title: str = "",
    width: int = 640,
    height: int = 320,
    target: float | None = None,
    fmt: Callable[[float], str] = _number,
) -> str:
    """Grouped vertical bars, one group per label; `target` draws a dashed line across."""
    left, top, plot_w, plot_h, top_value, parts = _plot_area(series, target, width, height, fmt)
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    for j, label in enumerate(labels):
        x0 = left + j * group_w + group_w * 0.1
        for i, s in enumerate(series):
            value = s.values[j] if j < len(s.values) else None
            if value is None:
                continue
            h = plot_h * value / top_value
            parts.append(
                f'<rect x="{x0 + i * bar_w:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w * 0.92:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(f"{label}: {fmt(value)}")}'
                "</title></rect>"
            )
        short = label if len(label) <= 14 else label[:13] + "…"
        parts.append(_text(left + j * group_w + group_w / 2, top + plot_h + 14, short, size=10, anchor="middle"))
    if target is not None:
        parts.append(_target_line(target, left, top, plot_w, plot_h, top_value))
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#888"/>')
    parts += _legend(series, left, height - 12)
    return _frame(width, height, title, parts)


def line_chart(
    *,
    labels: Sequence[str],
    series: Sequence[Series],
    title: str = "",
    width: int = 640,
    height: int = 320,
    target: float | None = None,
    fmt: Callable[[float], str] = _number,
) -> str:
    """One line per series over ordered labels (days, months); gaps where a value is None."""
    left, top, plot_w, plot_h, top_value, parts = _plot_area(series, target, width, height, fmt)
    step = plot_w / max(len(labels) - 1, 1)
    every = max(1, len(labels) // 8)
    for j, label in enumerate(labels):
        if j % every == 0:
            parts.append(_text(left + j * step, top + plot_h + 14, label, size=10, anchor="middle"))
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        run: list[str] = []
        for j, value in enumerate(s.values):
            if value is None:
                if len(run) > 1:
                    parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>')
                run = []
                continue
            run.append(f"{left + j * step:.1f},{top + plot_h - plot_h * value / top_value:.1f}")
        if len(run) > 1:
            parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        elif len(run) == 1:
            cx, cy = run[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
    if target is not None:
        parts.append(_target_line(target, left, top, plot_w, plot_h, top_value))
    parts += _legend(series, left, height - 12)
    return _frame(width, height, title, parts)


@dataclass(frozen=True)
class Point:
    longitude: float
    latitude: float
    value: float | None
    label: str


def colour_scale(value: float | None, low: float, high: float) -> str:
    """Red (behind) through yellow to green (on target); grey where there is no figure."""
    if value is None:
        return "#bbbbbb"
    share = 0.0 if high <= low else min(max((value - low) / (high - low), 0.0), 1.0)
    stops = ((0.0, (213, 94, 0)), (0.5, (240, 228, 66)), (1.0, (0, 158, 115)))
    for (a, ca), (b, cb) in pairwise(stops):
        if share <= b:
            t = (share - a) / (b - a)
            r, g, bl = (round(x + (y - x) * t) for x, y in zip(ca, cb, strict=True))
            return f"#{r:02x}{g:02x}{bl:02x}"
    return "#009e73"


def point_map(
    *, points: Sequence[Point], title: str = "", width: int = 480, height: int = 560, low: float = 0, high: float = 100
) -> str:
    """Communes as dots at their coordinates, coloured by the indicator. No outline or base map: none can be
    loaded offline, and an outline from foreign data may misdraw the islands."""
    located = [p for p in points if p.longitude and p.latitude]
    parts: list[str] = []
    if located:
        min_x, max_x = min(p.longitude for p in located), max(p.longitude for p in located)
        min_y, max_y = min(p.latitude for p in located), max(p.latitude for p in located)
        span = max(max_x - min_x, max_y - min_y, 0.01)
        scale = min(width - 40, height - 70) / span
        for p in located:
            x = 20 + (p.longitude - min_x) * scale
            y = height - 40 - (p.latitude - min_y) * scale
            text = p.label if p.value is None else f"{p.label}: {p.value:g}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour_scale(p.value, low, high)}" '
                f'stroke="#333333" stroke-width="0.5"><title>{escape(text)}</title></circle>'
            )
    for i, (label, value) in enumerate(
        ((f"{low:g}", low), (f"{(low + high) / 2:g}", (low + high) / 2), (f"{high:g}", high))
    ):
        x = 20 + i * 70
        parts.append(f'<circle cx="{x}" cy="{height - 14}" r="5" fill="{colour_scale(value, low, high)}"/>')
        parts.append(_text(x + 9, height - 10, label, size=10))
    return _frame(width, height, title, parts)
