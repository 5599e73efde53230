"""A server-rendered line chart: one line per series (a region, a hospital) over the years.

Pure: values in, coordinates out; the template draws the SVG. The page always shows
the same numbers in a table beside it, and each line has its own dash pattern as well
as its colour, so nothing is told by colour alone.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from core.formatting import number

# Colours with at least 3:1 contrast against white (WCAG 1.4.11, graphical objects).
STYLES = [
    ("#12395f", ""),
    ("#a4101c", "8 4"),
    ("#1d6b36", "2 3"),
    ("#6b3fa0", "10 3 2 3"),
    ("#8a4b00", "4 4"),
    ("#00646e", "12 2"),
    ("#4a5360", "1 2"),
]


@dataclass(frozen=True)
class Layout:
    """The drawing's size and the margins around the plot (the legend sits on the right)."""

    width: int = 720
    height: int = 340
    left: int = 56
    right: int = 170
    top: int = 16
    bottom: int = 40


@dataclass
class Point:
    x: float
    y: float
    year: int
    label: str


@dataclass
class Line:
    name: str
    colour: str
    dash: str
    points: list[Point]
    legend_y: float

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target_y: float | None = None
    target_label: str = ""
    # The target's label sits inside the plot, at its left end, above the dashed line
    # (below it when the line is at the top): beside the plot it would run into the legend.
    target_label_y: float | None = None


def _nice_step(span: float) -> float:
    raw = span / 5 or 1
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def line_chart(
    series: dict[str, dict[int, Decimal]],
    *,
    target: Decimal | None = None,
    label: Callable[[Decimal], str] = number,
    tick_label: Callable[[Decimal], str] | None = None,
    layout: Layout = Layout(),
) -> Chart | None:
    """Lay out one line per series name ({year: value}); None when there is nothing to draw.

    `label` writes a value as a point and the target show it ("74 750 kr", "72,5 %"),
    `tick_label` as the axis does (the same unless given).
    """
    tick_label = tick_label or label
    years = sorted({year for values in series.values() for year in values})
    if not years:
        return None
    numbers = [float(v) for values in series.values() for v in values.values()]
    if target is not None:
        numbers.append(float(target))
    low, high = min(0.0, min(numbers)), max(numbers)
    step = _nice_step(high - low)
    high = (int(high / step) + 1) * step if high > 0 else step
    left, top = layout.left, layout.top
    plot_right, plot_bottom = layout.width - layout.right, layout.height - layout.bottom

    def x_of(year):
        if len(years) == 1:
            return (left + plot_right) / 2
        return left + (year - years[0]) / (years[-1] - years[0]) * (plot_right - left)

    def y_of(value):
        return plot_bottom - (float(value) - low) / (high - low) * (plot_bottom - top)

    lines = []
    for index, (name, values) in enumerate(series.items()):
        colour, dash = STYLES[index % len(STYLES)]
        points = [Point(x_of(y), y_of(v), y, label(v)) for y, v in sorted(values.items())]
        lines.append(Line(name, colour, dash, points, top + 8 + index * 20))
    y_ticks = []
    value = low
    while value <= high + step / 1000:
        y_ticks.append(Tick(y_of(value), tick_label(Decimal(str(round(value, 2))))))
        value += step
    target_y = y_of(target) if target is not None else None
    return Chart(
        width=layout.width,
        height=layout.height,
        plot_left=left,
        plot_right=plot_right,
        plot_top=top,
        plot_bottom=plot_bottom,
        lines=lines,
        x_ticks=[Tick(x_of(y), str(y)) for y in years],
        y_ticks=y_ticks,
        target_y=target_y,
        target_label=label(target) if target is not None else "",
        target_label_y=_target_label_y(target_y, top) if target_y is not None else None,
    )


def _target_label_y(target_y: float, top: int) -> float:
    return target_y - 6 if target_y - 6 >= top + 12 else target_y + 16
