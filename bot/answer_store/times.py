"""Moments in the answer store are UTC; staff read them in Køge's time."""
import datetime
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/Copenhagen")


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def as_utc(moment: datetime.datetime) -> datetime.datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def danish_time(moment: datetime.datetime) -> str:
    """A moment as staff in Køge read it: 31.08.2025 kl. 14:05."""
    return as_utc(moment).astimezone(LOCAL_TIME).strftime("%d.%m.%Y kl. %H:%M")


def danish_today() -> datetime.date:
    """Today's date in Køge."""
    return now().astimezone(LOCAL_TIME).date()


def danish_date(day: datetime.date) -> str:
    """A date as staff read it: 31.08.2025."""
    return day.strftime("%d.%m.%Y")
