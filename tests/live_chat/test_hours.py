"""The live chat's opening hours (LIVE_CHAT_HOURS), in Køge's time."""
import datetime

import pytest

from bot.answer_store.times import LOCAL_TIME
from bot.live_chat.hours import OpeningHours, when

HOURS = OpeningHours.parse("man-tor 09:00-15:00; fre 09:00-13:00")


def at(day: str, clock: str) -> datetime.datetime:
    """A moment in Køge; 2026-12-07 is a Monday."""
    return datetime.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=LOCAL_TIME)


@pytest.mark.parametrize("moment, is_open", [
    (at("2026-12-07", "09:00"), True),    # Monday, the first minute
    (at("2026-12-07", "08:59"), False),
    (at("2026-12-07", "14:59"), True),
    (at("2026-12-07", "15:00"), False),   # the end is not included
    (at("2026-12-10", "12:00"), True),    # Thursday
    (at("2026-12-11", "12:59"), True),    # Friday closes earlier
    (at("2026-12-11", "13:00"), False),
    (at("2026-12-12", "10:00"), False),   # Saturday
])
def test_open_in_the_hours_of_its_day(moment, is_open):
    assert HOURS.is_open(moment) is is_open


def test_the_hours_are_koege_time_whatever_the_moments_zone():
    utc = at("2026-12-07", "09:30").astimezone(datetime.timezone.utc)  # 08:30 UTC in winter
    assert HOURS.is_open(utc)
    summer = datetime.datetime(2026, 7, 6, 7, 30, tzinfo=datetime.timezone.utc)  # 09:30 in Køge (CEST)
    assert HOURS.is_open(summer)


def test_a_day_staff_closed_is_closed():
    monday = at("2026-12-07", "10:00")
    assert not HOURS.is_open(monday, closed_days={monday.date()})
    assert HOURS.next_opening(monday, closed_days={monday.date()}) == at("2026-12-08", "09:00")


def test_the_next_opening():
    assert HOURS.next_opening(at("2026-12-07", "10:00")) == at("2026-12-07", "10:00")  # open now
    assert HOURS.next_opening(at("2026-12-07", "07:00")) == at("2026-12-07", "09:00")
    assert HOURS.next_opening(at("2026-12-07", "16:00")) == at("2026-12-08", "09:00")
    assert HOURS.next_opening(at("2026-12-11", "14:00")) == at("2026-12-14", "09:00")  # Friday → Monday


def test_off_and_always():
    for text in ("off", "", "OFF"):
        hours = OpeningHours.parse(text)
        assert hours.off and not hours.is_open(at("2026-12-07", "10:00"))
        assert hours.next_opening(at("2026-12-07", "10:00")) is None
    always = OpeningHours.parse("always")
    assert always.is_open(at("2026-12-13", "03:00"))
    assert not always.is_open(at("2026-12-13", "03:00"), closed_days={datetime.date(2026, 12, 13)})
    assert always.next_opening(at("2026-12-13", "03:00"), {datetime.date(2026, 12, 13)}) == at("2026-12-14", "00:00")


@pytest.mark.parametrize("text, described", [
    ("man-tor 09:00-15:00; fre 09:00-13:00", "mandag-torsdag kl. 9-15, fredag kl. 9-13"),
    ("mandag,onsdag 9.30-12, 13-15", "mandag og onsdag kl. 9.30-12 og 13-15"),
    ("lør-søn 10-14", "lørdag-søndag kl. 10-14"),
    ("lor-son 10-14", "lørdag-søndag kl. 10-14"),
    ("fre 20-24", "fredag kl. 20-24"),
    ("always", "hele døgnet"),
    ("off", "lukket"),
])
def test_written_as_staff_and_residents_read_it(text, described):
    assert OpeningHours.parse(text).describe() == described


@pytest.mark.parametrize("text, says", [
    ("mandag", "is not of the form"),
    ("man-tor 9", "is not a time span"),
    ("man-tor 15-9", "ends before it starts"),
    ("man-tor 9-25", "is not a time span"),
    ("tor-man 9-15", "runs backwards"),
    ("ma 9-15", "is not a day"),
    ("xyz 9-15", "is not a day"),
])
def test_hours_it_cannot_read_are_refused_with_the_part(text, says):
    with pytest.raises(ValueError, match=says) as refused:
        OpeningHours.parse(text)
    assert "LIVE_CHAT_HOURS" in str(refused.value)


def test_when_it_opens_as_residents_read_it():
    monday = at("2026-12-07", "07:00")
    assert when(at("2026-12-07", "09:00"), monday) == "i dag kl. 9"
    assert when(at("2026-12-08", "09:30"), monday) == "i morgen kl. 9.30"
    assert when(at("2026-12-11", "09:00"), monday) == "fredag kl. 9"
    assert when(at("2026-12-11", "09:00"), monday, "en") == "Friday at 9"
    assert when(at("2026-12-07", "09:00"), monday, "ar") == "i dag kl. 9"  # Danish where it has no words
