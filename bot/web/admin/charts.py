"""The dashboard's charts as geometry for inline SVG, drawn by the template.

No JavaScript and no inline styles (the admin's CSP allows neither): this
module only computes positions and sizes, the template writes them as SVG
presentation attributes, and ``admin.css`` colours them by class
(``series-0``, ``series-1``, ...). Every chart also has its numbers as a
table in the page, for screen readers and for anyone who wants the figures.
"""
import math
from typing import Dict, List, Sequence

WIDTH = 720
BAR_HEIGHT = 240
MARGIN = {"left": 44, "right": 8, "top": 12, "bottom": 28}
SERIES_CLASSES = 6  # series-0 .. series-5 in admin.css; more series reuse them
MAX_X_LABELS = 10

TOPIC_ROW = 30
TOPIC_LABEL_WIDTH = 250
TOPIC_COUNT_WIDTH = 50
TOPIC_LABEL_CHARS = 34

DONUT_RADIUS = 15.91549430918954  # circumference 100: a share in percent is a dash length


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at least ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)


def _ticks(highest: int) -> List[int]:
    """Whole-number gridlines from 0 to ``highest`` (a ``nice_ceiling``), at most six."""
    step = next(highest // parts for parts in (5, 4, 2, 1) if highest % parts == 0 and highest // parts >= 1)
    return list(range(0, highest + 1, step))


def day_label(day) -> str:
    return f"{day.day}.{day.month}"


def stacked_bars(days: Sequence, values: Sequence[Dict[str, int]], series: Sequence[str],
                 titles: Sequence[str]) -> dict:
    """A bar per day, split into stacked parts per series (bottom first, in
    ``series`` order). ``values[i]`` maps series to the count on ``days[i]``;
    ``titles[i]`` is the bar's tooltip."""
    plot_width = WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_height = BAR_HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    baseline = MARGIN["top"] + plot_height
    totals = [sum(day_values.get(name, 0) for name in series) for day_values in values]
    highest = nice_ceiling(max(totals, default=0))
    scale = plot_height / highest
    slot = plot_width / max(len(days), 1)
    bar_width = max(slot * 0.72, 1.0)
    bars = []
    for index, (day_values, title) in enumerate(zip(values, titles)):
        x = MARGIN["left"] + index * slot + (slot - bar_width) / 2
        top, parts = float(baseline), []
        for number, name in enumerate(series):
            count = day_values.get(name, 0)
            if count:
                height = count * scale
                top -= height
                parts.append({"x": round(x, 2), "y": round(top, 2), "width": round(bar_width, 2),
                              "height": round(height, 2), "series": number % SERIES_CLASSES, "count": count})
        bars.append({"title": title, "parts": parts})
    every = max(1, math.ceil(len(days) / MAX_X_LABELS))
    x_labels = [{"x": round(MARGIN["left"] + index * slot + slot / 2, 2), "text": day_label(day)}
                for index, day in enumerate(days) if index % every == 0]
    ticks = [{"y": round(baseline - tick * scale, 2), "text": str(tick)} for tick in _ticks(highest)]
    return {"width": WIDTH, "height": BAR_HEIGHT, "left": MARGIN["left"], "right": WIDTH - MARGIN["right"],
            "baseline": baseline, "label_y": baseline + 18, "bars": bars, "x_labels": x_labels, "ticks": ticks,
            "empty": not any(totals)}


def horizontal_bars(items: Sequence[tuple]) -> dict:
    """One bar per (label, count), longest for the highest count, label on the left."""
    bar_left = TOPIC_LABEL_WIDTH
    bar_room = WIDTH - TOPIC_LABEL_WIDTH - TOPIC_COUNT_WIDTH
    highest = max((count for _, count in items), default=0) or 1
    rows = []
    for index, (label, count) in enumerate(items):
        y = index * TOPIC_ROW
        width = max(count / highest * bar_room, 1.0) if count else 0
        short = label if len(label) <= TOPIC_LABEL_CHARS else label[:TOPIC_LABEL_CHARS - 1] + "…"
        rows.append({"label": label, "short": short, "count": count, "y": y + 4, "height": TOPIC_ROW - 10,
                     "text_y": y + TOPIC_ROW / 2 + 4, "x": bar_left, "width": round(width, 2),
                     "count_x": round(bar_left + width + 6, 2)})
    return {"width": WIDTH, "height": max(len(items), 1) * TOPIC_ROW, "label_x": bar_left - 10, "rows": rows}


def donut(share: float) -> dict:
    """A ring with ``share`` (0-1) of it drawn, starting at the top, clockwise."""
    percent = min(max(share, 0.0), 1.0) * 100
    return {"radius": DONUT_RADIUS, "dash": f"{percent:.2f} {100 - percent:.2f}", "percent": round(percent)}
