"""Moments in the answer store are UTC."""
import datetime


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def as_utc(moment: datetime.datetime) -> datetime.datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)
