"""A server-rendered line chart of prices: one line per region's hospital over the years.

Pure: values in, coordinates out; the template draws the SVG, and the page shows the
same numbers in a table. Each line has its own dash pattern as well as its colour, so
nothing is told by colour alone.
"""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 760, 360
LEFT, RIGHT, TOP, BOTTOM = 80, 230, 16, 40
# At least 3:1 contrast against white (WCAG 1.4.11, graphical objects).
STYLES = [("#12395f", ""), ("#a4101c", "8 4"), ("#1d6b36", "2 3"), ("#6b3fa0", "10 3 2 3"),
          ("#8a4b00", "4 4"), ("#00646e", "12 2"), ("#4a5360", "1 2")]


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


def kronor(value) -> str:
    """74750 → '74 750 kr' (no-break spaces between thousands)."""
    whole = f"{Decimal(value):,.0f}".replace(",", "\u00a0")
    return f"{whole}\u00a0kr"


def _step(span: float) -> float:
    raw = span / 5 or 1
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def line_chart(series: dict[str, dict[int, Decimal]]) -> Chart | None:
    """One line per series ({year: price}); None when there is nothing to draw."""
    years = sorted({year for values in series.values() for year in values})
    if not years:
        return None
    numbers = [float(v) for values in series.values() for v in values.values()]
    step = _step(max(numbers))
    high = (int(max(numbers) / step) + 1) * step
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x_of(year):
        if len(years) == 1:
            return (LEFT + plot_right) / 2
        return LEFT + (year - years[0]) / (years[-1] - years[0]) * (plot_right - LEFT)

    def y_of(value):
        return plot_bottom - float(value) / high * (plot_bottom - TOP)

    lines = []
    for index, (name, values) in enumerate(series.items()):
        colour, dash = STYLES[index % len(STYLES)]
        points = [Point(x_of(y), y_of(v), y, kronor(v)) for y, v in sorted(values.items())]
        lines.append(Line(name, colour, dash, points, TOP + 8 + index * 20))
    ticks, value = [], 0.0
    while value <= high + step / 1000:
        ticks.append(Tick(y_of(value), kronor(value)))
        value += step
    return Chart(WIDTH, HEIGHT, LEFT, plot_right, TOP, plot_bottom, lines,
                 [Tick(x_of(y), str(y)) for y in years], ticks)
