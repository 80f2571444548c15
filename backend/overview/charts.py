"""Line charts drawn on the server as SVG coordinates: no script and no third-party host."""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 54, 12, 12, 28  # room for the axes' labels


@dataclass
class LineChart:
    """Fractions (0…1, None for no data) over evenly spaced periods, with marked periods."""

    labels: Sequence[str]  # one per period, for the x axis
    series: dict[str, Sequence[float | None]]  # css class -> values, one per period
    markers: Sequence[tuple[int, str]] = ()  # (period index, label)
    width: int = WIDTH
    height: int = HEIGHT

    def x(self, index: int) -> float:
        span = max(len(self.labels) - 1, 1)
        return round(LEFT + (self.width - LEFT - RIGHT) * index / span, 1)

    def y(self, value: float) -> float:
        value = min(max(value, 0.0), 1.0)
        return round(TOP + (self.height - TOP - BOTTOM) * (1 - value), 1)

    def segments(self, name: str) -> list[str]:
        """SVG polyline points of a series, broken where a period has no value."""
        runs: list[list[str]] = [[]]
        for index, value in enumerate(self.series[name]):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(f"{self.x(index)},{self.y(value)}")
        return [" ".join(run) for run in runs if run]

    def dots(self, name: str) -> list[tuple[float, float]]:
        """Single points (a period with values on neither side) would draw no line."""
        values = self.series[name]
        return [
            (self.x(i), self.y(value))
            for i, value in enumerate(values)
            if value is not None
            and (i == 0 or values[i - 1] is None)
            and (i == len(values) - 1 or values[i + 1] is None)
        ]

    def grid(self) -> list[tuple[float, str]]:
        return [(self.y(step / 4), f"{step * 25}%") for step in range(5)]

    def x_labels(self) -> list[tuple[float, str]]:
        """First, middle and last period."""
        last = len(self.labels) - 1
        picks = sorted({0, last // 2, last}) if last >= 0 else []
        return [(self.x(i), self.labels[i]) for i in picks]

    @property
    def bottom(self) -> float:
        return self.height - BOTTOM

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT
