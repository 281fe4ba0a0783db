"""The dashboard's chart geometry (drawn as inline SVG by the template)."""
import datetime

import pytest

from bot.web.admin import charts


def test_stacked_bars_are_proportional_and_stacked_bottom_up():
    days = [datetime.date(2026, 6, d) for d in (1, 2, 3)]
    chart = charts.stacked_bars(days, [{"a": 2, "b": 2}, {}, {"a": 1}], ["a", "b"], ["1", "2", "3"])
    first, empty, third = chart["bars"]
    assert empty["parts"] == []
    lower, upper = first["parts"]
    assert lower["series"] == 0 and upper["series"] == 1
    assert lower["height"] == pytest.approx(upper["height"]) == pytest.approx(2 * third["parts"][0]["height"])
    assert lower["y"] + lower["height"] == pytest.approx(chart["baseline"])
    assert upper["y"] + upper["height"] == pytest.approx(lower["y"])
    assert [tick["text"] for tick in chart["ticks"]] == ["0", "1", "2", "3", "4", "5"]
    assert not chart["empty"] and charts.stacked_bars(days, [{}, {}, {}], ["a"], ["", "", ""])["empty"]


def test_horizontal_bars_and_donut():
    chart = charts.horizontal_bars([("Job og uddannelse", 10), ("Et meget langt emnenavn, der ikke kan stå helt", 5)])
    assert chart["rows"][0]["width"] == pytest.approx(2 * chart["rows"][1]["width"])
    assert chart["rows"][1]["short"].endswith("…") and len(chart["rows"][1]["short"]) == charts.TOPIC_LABEL_CHARS
    assert charts.donut(0.724) == {"radius": charts.DONUT_RADIUS, "dash": "72.40 27.60", "percent": 72}
