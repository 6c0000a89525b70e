"""Server-rendered SVG charts: grouped columns (per day) and grouped bars (per code, per topic).

No script: the SVG is part of the page, styled by console.css (classes s0, s1 for the series) and
labelled for screen readers; the pages also give each chart's numbers as a table.
"""
from typing import List, Sequence, Tuple

from markupsafe import Markup, escape

Series = Sequence[int]


def _svg(width: int, height: int, title: str, body: List[str]) -> Markup:
    label = escape(title)
    return Markup(f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
                  f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg">'
                  f'<title>{label}</title>{"".join(body)}</svg>')


def _legend(names: Sequence[str], x: int, y: int) -> List[str]:
    parts = []
    for i, name in enumerate(names):
        parts.append(f'<rect class="s{i}" x="{x + i * 150}" y="{y - 9}" width="10" height="10"/>'
                     f'<text x="{x + i * 150 + 14}" y="{y}">{escape(name)}</text>')
    return parts


def columns(labels: Sequence[str], series: Sequence[Series], names: Sequence[str],
            title: str) -> Markup:
    """Grouped vertical columns, one group per label (a day), one column per series."""
    width, height, left, right, bottom, top = 760, 260, 40, 30, 40, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([max(s, default=0) for s in series] + [1])
    group = plot_w / max(len(labels), 1)
    bar = max(group * 0.8 / max(len(series), 1), 1)
    every = max(1, len(labels) // 10)  # at most about ten date labels
    body = _legend(names, left, 16)
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - tick / peak * plot_h
        body.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" '
                    f'y2="{y:.1f}"/><text class="tick" x="{left - 4}" y="{y + 4:.1f}" '
                    f'text-anchor="end">{tick}</text>')
    for i, label in enumerate(labels):
        x0 = left + i * group + group * 0.1
        for j, values in enumerate(series):
            h = values[i] / peak * plot_h
            body.append(f'<rect class="s{j}" x="{x0 + j * bar:.1f}" y="{top + plot_h - h:.1f}" '
                        f'width="{bar:.1f}" height="{h:.1f}"><title>{escape(label)}: '
                        f'{values[i]} {escape(names[j])}</title></rect>')
        if i % every == 0:
            body.append(f'<text class="tick" x="{x0:.1f}" y="{height - bottom + 16}">'
                        f'{escape(label[5:])}</text>')
    return _svg(width, height, title, body)


def bars(items: Sequence[Tuple[str, Sequence[int]]], names: Sequence[str], title: str) -> Markup:
    """Grouped horizontal bars, one group per item (a code, a topic), one bar per series."""
    row_h, left, width, top = 14 * max(len(names), 1) + 8, 190, 760, 28
    height = top + max(len(items), 1) * row_h + 10
    peak = max([v for _, values in items for v in values] + [1])
    body = _legend(names, left, 16)
    if not items:
        body.append(f'<text x="{left}" y="{top + 14}">nothing in this selection</text>')
    for i, (label, values) in enumerate(items):
        y = top + i * row_h
        body.append(f'<text x="{left - 6}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end">'
                    f'{escape(label)}</text>')
        for j, value in enumerate(values):
            w = value / peak * (width - left - 50)
            body.append(f'<rect class="s{j}" x="{left}" y="{y + 4 + j * 14}" width="{w:.1f}" '
                        f'height="12"><title>{escape(label)}: {value} {escape(names[j])}</title>'
                        f'</rect><text class="tick" x="{left + w + 4:.1f}" y="{y + 14 + j * 14}">'
                        f'{value}</text>')
    return _svg(width, height, title, body)
