"""A server-rendered line chart of an indicator: one line per region over the years.

Pure: values in, coordinates out; the template draws the SVG. The same numbers are
always shown in a table beside it, and each line has its own dash pattern and
marker as well as its colour, so nothing is told by colour alone.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 170, 16, 40
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
    target_y: float | None
    target_label: str
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


def plain(value: Decimal) -> Decimal:
    """71.50 → 71.5 and 80.00 → 80, without normalize()'s exponent form (8E+1)."""
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _fmt(value, unit: str = "") -> str:
    text = number_format(plain(Decimal(str(value))), use_l10n=True)
    return f"{text} {unit}".strip()


def line_chart(series: dict[str, dict[int, Decimal]], *, target: Decimal | None = None,
               unit: str = "") -> Chart | None:
    """Lay out one line per series name ({year: value}); None when there is nothing to draw."""
    years = sorted({year for values in series.values() for year in values})
    if not years:
        return None
    numbers = [float(v) for values in series.values() for v in values.values()]
    if target is not None:
        numbers.append(float(target))
    low, high = min(0.0, min(numbers)), max(numbers)
    step = _nice_step(high - low)
    high = (int(high / step) + 1) * step if high > 0 else step
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x_of(year):
        if len(years) == 1:
            return (LEFT + plot_right) / 2
        return LEFT + (year - years[0]) / (years[-1] - years[0]) * (plot_right - LEFT)

    def y_of(value):
        return plot_bottom - (float(value) - low) / (high - low) * (plot_bottom - TOP)

    lines = []
    for index, (name, values) in enumerate(series.items()):
        colour, dash = STYLES[index % len(STYLES)]
        points = [Point(x_of(y), y_of(v), y, _fmt(v, unit)) for y, v in sorted(values.items())]
        lines.append(Line(name, colour, dash, points, TOP + 8 + index * 20))
    y_ticks = []
    value = low
    while value <= high + step / 1000:
        y_ticks.append(Tick(y_of(value), _fmt(round(value, 2))))
        value += step
    return Chart(
        width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_right=plot_right, plot_top=TOP,
        plot_bottom=plot_bottom, lines=lines,
        x_ticks=[Tick(x_of(y), str(y)) for y in years], y_ticks=y_ticks,
        target_y=y_of(target) if target is not None else None,
        target_label=_fmt(target, unit) if target is not None else "",
        target_label_y=_target_label_y(y_of(target)) if target is not None else None,
    )


def _target_label_y(target_y: float) -> float:
    return target_y - 6 if target_y - 6 >= TOP + 12 else target_y + 16
