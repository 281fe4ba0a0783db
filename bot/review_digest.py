"""``python -m bot reviews [--days 14]``: which answers are to be checked soon, per owner.

Prints, per owner, every active entry that is overdue or due within the next
``--days`` days (``bot.answer_store.review_dates``), so an operator can pass it
on; ``make run`` logs the same once a day (``DailyReviewDigest``). With an SMTP
server set (``SMTP_URL``), each owner with an e-mail address also gets their own
list by mail: an owner whose name is an address, or one ``REVIEW_OWNER_EMAILS``
gives an address. The lists are mailed at most once a day (the audit log says
when they were; ``--mail-again`` sends them again), so a restart of ``make run``
does not mail everyone twice.

What it prints and mails is read by staff and operators in Køge: Danish.
"""
import argparse
import datetime
import smtplib
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Callable, Dict, List, Optional, Tuple
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa

from bot.answer_store import AnswerStore, DueEntry, audit, tables
from bot.answer_store.review_dates import NOTICE_DAYS, OVERDUE
from bot.answer_store.times import LOCAL_TIME, as_utc, danish_date, danish_time, danish_today
from bot.config import AnswerStoreSettings, ReviewDigestSettings
from bot.errors import AssistantError
from bot.knowledge.schema import EMAIL_PATTERN

DESCRIPTION = ("print, per owner, the answers that are overdue or due for a check within --days (14); "
               "with SMTP_URL set, mail each owner their list (at most once a day)")
SECONDS_PER_DAY = 24 * 3600
MAILED = "review_digest_mailed"  # the audit log's action when the lists were mailed
SYSTEM_USER = "system"
NO_OWNER = "Uden ejer"
SMTP_TIMEOUT = 30

ACTIONS = {"seeded": "indlæst fra start", "created": "oprettet", "edited": "ændret", "restored": "gendannet",
           "imported": "importeret", "checked": "tjekket", "review_added": "fik ejer og tjekdato",
           "translated": "oversat", "translation_checked": "oversættelse tjekket",
           "translation_removed": "oversættelse slettet"}


class MailError(AssistantError):
    """The lists could not be mailed (a wrong SMTP_URL, a server that refused): said in Danish."""

    status, code = 502, "mail_ikke_sendt"


# --- what is due, and how it reads ------------------------------------------------------------


def _entry_lines(item: DueEntry) -> List[str]:
    change = item.last_change
    action = ACTIONS.get(change.action, change.action)
    lines = [f"- {item.name}{' (overskredet)' if item.state == OVERDUE else ''}"]
    lines += [f"  {reason.text}" for reason in item.reasons]
    lines.append(f"  Seneste ændring: {action} {danish_time(change.changed_at)} af {change.changed_by}.")
    return lines


def heading(today: datetime.date, days: int, count: int) -> str:
    until = today + datetime.timedelta(days=days)
    if not count:
        return f"Ingen svar skal tjekkes til og med {danish_date(until)} (i dag er {danish_date(today)})."
    return (f"Svar, der skal tjekkes til og med {danish_date(until)} (i dag er {danish_date(today)}): "
            f"{count} i alt.")


def digest_text(groups: Dict[Optional[str], List[DueEntry]], today: datetime.date, days: int,
                addresses: Optional[Dict[Optional[str], Optional[str]]] = None) -> str:
    """The whole digest as printed: a heading, then per owner (with the address the list goes to) their entries."""
    addresses = addresses or {}
    lines = [heading(today, days, sum(len(items) for items in groups.values()))]
    for owner, items in groups.items():
        address = addresses.get(owner)
        where = f" <{address}>" if address else " (ingen e-mailadresse)" if owner in addresses else ""
        lines += ["", f"{owner or NO_OWNER}{where}: {len(items)} svar"]
        for item in items:
            lines += [f"  {line}" for line in _entry_lines(item)]
    return "\n".join(lines)


def mail_body(owner: str, items: List[DueEntry], today: datetime.date, days: int) -> str:
    one = len(items) == 1
    lines = [f"Hej {owner}", "",
             f"Du er ejer af {'dette svar' if one else f'disse {len(items)} svar'} i Køge-assistenten. "
             f"{'Det' if one else 'De'} skal tjekkes nu eller inden for de næste {_days(days)}, "
             "så borgerne ikke får forkerte oplysninger:", ""]
    for item in items:
        lines += _entry_lines(item)
    lines += ["", "Log ind i administrationen og vælg »Skal tjekkes«. Ret teksten, hvis noget har ændret sig, "
                  "eller tryk »Stadig rigtigt«, hvis alt passer stadig.",
              "", "Venlig hilsen", "Køge-assistenten"]
    return "\n".join(lines)


def _days(count: int) -> str:
    return f"{count} dag" if count == 1 else f"{count} dage"


def mail_subject(items: List[DueEntry]) -> str:
    overdue = sum(1 for item in items if item.state == OVERDUE)
    count = f"{len(items)} svar skal tjekkes"
    return f"Køge-assistenten: {count}" + (f" ({overdue} overskredet)" if overdue else "")


# --- who gets mail ------------------------------------------------------------------------


def address_of(owner: Optional[str], settings: ReviewDigestSettings) -> Optional[str]:
    """The owner's e-mail address: from ``REVIEW_OWNER_EMAILS``, or the owner's name when it is one."""
    if not owner:
        return None
    for name, address in settings.owner_emails:
        if name.casefold() == owner.casefold():
            return address
    return owner if EMAIL_PATTERN.match(owner) else None


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: bool  # TLS from the start (smtps://); otherwise STARTTLS when the server offers it
    username: Optional[str] = None
    password: Optional[str] = field(default=None, repr=False)

    @classmethod
    def from_url(cls, url: str) -> "SmtpServer":
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailError("SMTP_URL skal se sådan ud: smtp://bruger:adgangskode@server:587 "
                            "(eller smtps://... for TLS fra start).")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise MailError("Porten i SMTP_URL er ikke et tal.") from None
        return cls(parts.hostname, port, parts.scheme == "smtps",
                   unquote(parts.username) if parts.username else None,
                   unquote(parts.password) if parts.password else None)

    def connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.tls:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT, context=context)
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
            connection.ehlo()
            if connection.has_extn("starttls"):
                connection.starttls(context=context)
                connection.ehlo()
            elif self.username:
                connection.quit()
                raise MailError("SMTP_URL har en adgangskode, men serveren tilbyder ikke STARTTLS: adgangskoden "
                                "sendes ikke ukrypteret. Brug smtps://, eller en server med STARTTLS.")
        if self.username:
            connection.login(self.username, self.password or "")
        return connection


@dataclass
class Mailed:
    """What mailing the lists did: to whom (owner, address), and the owners without an address."""

    sent: List[Tuple[str, str]] = field(default_factory=list)
    without_address: List[str] = field(default_factory=list)


def send_lists(groups: Dict[Optional[str], List[DueEntry]], settings: ReviewDigestSettings, today: datetime.date,
               days: int) -> Mailed:
    """Mail each owner with an address their list (one connection, one message each). Raises ``MailError``."""
    server = SmtpServer.from_url(settings.smtp_url)
    mailed = Mailed()
    messages = []
    for owner, items in groups.items():
        address = address_of(owner, settings)
        if owner is None:
            continue
        if address is None:
            mailed.without_address.append(owner)
            continue
        message = EmailMessage()
        message["From"], message["To"] = settings.smtp_from, address
        message["Subject"] = mail_subject(items)
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
        message.set_content(mail_body(owner, items, today, days))
        messages.append((owner, address, message))
    if not messages:
        return mailed
    try:
        connection = server.connect()
        try:
            for owner, address, message in messages:
                connection.send_message(message)
                mailed.sent.append((owner, address))
        finally:
            try:
                connection.quit()
            except smtplib.SMTPException:
                pass
    except MailError:
        raise
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"Listerne kunne ikke sendes via {server.host}:{server.port} "
                        f"({type(error).__name__}: {error}). {len(mailed.sent)} blev sendt.") from error
    return mailed


# --- mailed at most once a day -------------------------------------------------------------------


def mailed_on(engine: sa.engine.Engine, today: datetime.date) -> Optional[datetime.datetime]:
    """When the lists were mailed on ``today`` (Køge's day), if they were."""
    start = datetime.datetime.combine(today, datetime.time(), tzinfo=LOCAL_TIME).astimezone(datetime.timezone.utc)
    table = tables.audit_log
    query = sa.select(sa.func.max(table.c.at)).where(table.c.action == MAILED, table.c.at >= start)
    with engine.connect() as connection:
        moment = connection.execute(query).scalar()
    return as_utc(moment) if moment is not None else None


def record_mailed(engine: sa.engine.Engine, mailed: Mailed, by: str) -> None:
    owners = ", ".join(owner for owner, _ in mailed.sent)
    with engine.begin() as connection:
        audit.record(connection, by, MAILED, details=f"til {len(mailed.sent)} ejere: {owners}")


@dataclass
class DigestResult:
    text: str  # the digest as printed
    mailed: Optional[Mailed] = None  # None: not mailed (no SMTP_URL, --no-mail, or mailed already today)
    note: str = ""  # why it was not mailed, or to whom it was, in Danish
    failed: bool = False


def make_digest(store: AnswerStore, settings: ReviewDigestSettings, days: int = NOTICE_DAYS, mail: bool = True,
                mail_again: bool = False, today: Optional[datetime.date] = None, by: str = SYSTEM_USER) -> DigestResult:
    """The digest, and the lists mailed when ``mail`` and an SMTP server is set (once a day unless ``mail_again``)."""
    today = today or danish_today()
    groups = store.review_dates.by_owner(today, days)
    addresses = {owner: address_of(owner, settings) for owner in groups if owner}
    result = DigestResult(digest_text(groups, today, days, addresses))
    if not mail or not groups:
        return result
    if not settings.smtp_url:
        result.note = "SMTP_URL er ikke sat, så listerne er ikke sendt til ejerne."
        return result
    if not any(addresses.values()):
        result.note = "Ingen af ejerne har en e-mailadresse (REVIEW_OWNER_EMAILS): intet er sendt."
        return result
    earlier = mailed_on(store.engine, today)
    if earlier is not None and not mail_again:
        result.note = (f"Listerne er allerede sendt i dag ({danish_time(earlier)}); "
                       "brug --mail-again for at sende dem igen.")
        return result
    try:
        result.mailed = send_lists(groups, settings, today, days)
    except MailError as error:
        result.note, result.failed = str(error), True
        return result
    record_mailed(store.engine, result.mailed, by)
    sent = ", ".join(f"{owner} <{address}>" for owner, address in result.mailed.sent)
    result.note = f"Sendt til {len(result.mailed.sent)} ejere: {sent}."
    return result


# --- the command and the daily run -------------------------------------------------------------


def add_command(commands) -> None:
    """Add ``reviews`` to the subcommands of ``python -m bot``."""
    reviews = commands.add_parser("reviews", help=DESCRIPTION, description=DESCRIPTION)
    reviews.add_argument("--days", type=int, default=NOTICE_DAYS,
                         help=f"list what is due within this many days (default {NOTICE_DAYS})")
    reviews.add_argument("--no-mail", action="store_true", help="only print, even with SMTP_URL set")
    reviews.add_argument("--mail-again", action="store_true", help="mail even if the lists were mailed today")
    reviews.set_defaults(func=run)


def run(args: argparse.Namespace, store_settings: Optional[AnswerStoreSettings] = None,
        digest_settings: Optional[ReviewDigestSettings] = None) -> int:
    if not 0 <= args.days <= 365:
        print("--days skal være et tal fra 0 til 365.", file=sys.stderr)
        return 2
    try:
        store = AnswerStore.open(store_settings or AnswerStoreSettings.once())
    except (ValueError, sa.exc.SQLAlchemyError) as error:
        print(f"Svardatabasen kunne ikke åbnes: {error}", file=sys.stderr)
        return 1
    try:
        result = make_digest(store, digest_settings or ReviewDigestSettings.once(), args.days,
                             mail=not args.no_mail, mail_again=args.mail_again, by=f"shell:{_os_user()}")
    finally:
        store.close()
    print(result.text)
    if result.note:
        print("", result.note, sep="\n", file=sys.stderr if result.failed else sys.stdout)
    return 1 if result.failed else 0


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukendt"


class DailyReviewDigest:
    """Logs the digest (and mails the lists, as ``make_digest``) when due: at the first call,
    then every ``interval`` seconds, in a thread of its own so a slow mail server never
    holds up the caller (``make run``'s supervisor). A failure is reported, never raised."""

    def __init__(self, store_settings: Optional[AnswerStoreSettings] = None,
                 digest_settings: Optional[ReviewDigestSettings] = None, interval: float = SECONDS_PER_DAY,
                 clock: Callable[[], float] = time.monotonic, report: Callable[[str], None] = print,
                 background: bool = True):
        self.store_settings = store_settings
        self.digest_settings = digest_settings
        self.interval = interval
        self.clock = clock
        self.report = report
        self.background = background
        self._next_run: Optional[float] = None
        self._thread: Optional[threading.Thread] = None

    def run_if_due(self) -> None:
        now = self.clock()
        if self._next_run is not None and now < self._next_run:
            return
        if self._thread is not None and self._thread.is_alive():
            return
        self._next_run = now + self.interval
        if self.background:
            self._thread = threading.Thread(target=self.run_once, name="review-digest", daemon=True)
            self._thread.start()
        else:
            self.run_once()

    def run_once(self) -> None:
        try:
            store = AnswerStore(self.store_settings or AnswerStoreSettings.once())
            try:
                result = make_digest(store, self.digest_settings or ReviewDigestSettings.once())
            finally:
                store.close()
            self.report(result.text + (f"\n{result.note}" if result.note else ""))
        except Exception as error:  # noqa: BLE001 - the assistant keeps running; the next run retries
            self.report(f"The list of answers to check could not be made ({type(error).__name__}: {error}); "
                        "trying again in a day.")

    def wait(self, timeout: Optional[float] = None) -> None:
        """Until the digest started last is done (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)
