"""``python -m bot reviews``: the daily list of answers to check, printed per owner and
mailed to each owner through a real SMTP server on loopback (aiosmtpd)."""
import argparse
import datetime
import email
import email.policy

import pytest
from aiosmtpd.controller import Controller

from bot import review_digest
from bot.answer_store import AnswerStore, audit
from bot.answer_store.review_dates import SEED_OWNER
from bot.answer_store.times import danish_today
from bot.config import AnswerStoreSettings, ReviewDigestSettings
from bot.services import free_port
from tests.conftest import KNOWLEDGE_DIR

TODAY = danish_today()
DAY = datetime.timedelta(days=1)


class Mailbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str):
        return [message for _, recipients, message in self.messages if recipients == [address]]


@pytest.fixture
def smtp():
    """A real SMTP server on a free loopback port; ``smtp.url`` for SMTP_URL, ``smtp.mailbox`` what it got."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.url = f"smtp://127.0.0.1:{controller.port}"
    controller.mailbox = mailbox
    yield controller
    controller.stop()


@pytest.fixture
def store_settings(tmp_path):
    return AnswerStoreSettings(data_dir=tmp_path / "store", seed_dir=KNOWLEDGE_DIR)


@pytest.fixture
def store(store_settings):
    """Seeded (everything due today), then: bo owns Jobplaneten (overdue), the family team
    owns Get2Sport (due in 10 days), anna@koege.dk Læs mere (not due for months)."""
    opened = AnswerStore.open(store_settings)
    for entry_id, owner, due in (("jobplaneten", "bo", TODAY - 3 * DAY),
                                 ("get2sport", "Familieteamet", TODAY + 10 * DAY),
                                 ("laes_mere", "anna@koege.dk", TODAY + 100 * DAY)):
        stored = opened.entries.get(entry_id)
        opened.entries.update(entry_id, {**stored.data, "owner": owner, "review_due": due.isoformat()},
                              stored.version, "anna")
    yield opened
    opened.close()


def digest_settings(smtp_url: str = "") -> ReviewDigestSettings:
    return ReviewDigestSettings(smtp_url=smtp_url, smtp_from="assistent@koege.dk",
                                owner_emails=(("bo", "bo@koege.dk"), ("familieteamet", "familie@koege.dk")))


def mailed_records(store):
    return [r for r in audit.recent(store.engine) if r.action == review_digest.MAILED]


# --- what it says -----------------------------------------------------------------------------


def test_the_digest_lists_each_owners_due_entries_with_why(store):
    result = review_digest.make_digest(store, digest_settings(), mail=False)
    text = result.text
    assert text.startswith(f"Svar, der skal tjekkes til og med {TODAY + 14 * DAY:%d.%m.%Y} "
                           f"(i dag er {TODAY:%d.%m.%Y}): {len(store.entries.all()) - 1} i alt.")
    bo = text[text.index("\nbo <bo@koege.dk>: 1 svar"):]
    assert "  - Jobplaneten (overskredet)\n" in bo
    assert f"Skulle have været tjekket senest {TODAY - 3 * DAY:%d.%m.%Y} (3 dage siden)." in bo
    assert "Seneste ændring: ændret " in bo and "af anna." in bo
    assert f"Familieteamet <familie@koege.dk>: 1 svar\n  - Get2Sport\n    Skal tjekkes senest " in text
    assert f"{SEED_OWNER} (ingen e-mailadresse):" in text
    assert ("Teksten nævner en dato, der er gået: »Helhedsplanen gælder fra 1. september 2021 til 31. august 2025.«"
            in text)
    assert "Hvor kan jeg læse mere?" not in text  # due in 100 days
    assert result.mailed is None and result.note == ""


def test_the_days_widen_or_narrow_the_list(store):
    assert "Hvor kan jeg læse mere?" in review_digest.make_digest(store, digest_settings(), days=100, mail=False).text
    assert "Get2Sport" not in review_digest.make_digest(store, digest_settings(), days=9, mail=False).text


def test_an_owner_is_an_address_by_the_setting_or_by_its_name():
    settings = digest_settings()
    assert review_digest.address_of("BO", settings) == "bo@koege.dk"
    assert review_digest.address_of("anna@koege.dk", settings) == "anna@koege.dk"
    assert review_digest.address_of(SEED_OWNER, settings) is None and review_digest.address_of(None, settings) is None


# --- mail -------------------------------------------------------------------------------------------


def test_each_owner_with_an_address_gets_their_own_list_once_a_day(store, smtp):
    result = review_digest.make_digest(store, digest_settings(smtp.url))
    assert not result.failed
    assert sorted(result.mailed.sent) == [("Familieteamet", "familie@koege.dk"), ("bo", "bo@koege.dk")]
    assert result.mailed.without_address == [SEED_OWNER]
    assert len(smtp.mailbox.messages) == 2
    [to_bo] = smtp.mailbox.to("bo@koege.dk")
    assert to_bo["From"] == "assistent@koege.dk" and to_bo["To"] == "bo@koege.dk"
    assert to_bo["Subject"] == "Køge-assistenten: 1 svar skal tjekkes (1 overskredet)"
    body = to_bo.get_content().replace("\r\n", "\n")
    assert body.startswith("Hej bo\n\nDu er ejer af dette svar i Køge-assistenten. Det skal tjekkes nu eller inden "
                           "for de næste 14 dage")
    assert "- Jobplaneten (overskredet)" in body and "Get2Sport" not in body
    assert "»Stadig rigtigt«" in body and body.rstrip().endswith("Køge-assistenten")
    [to_family] = smtp.mailbox.to("familie@koege.dk")
    assert "Get2Sport" in to_family.get_content() and to_family["Subject"] == "Køge-assistenten: 1 svar skal tjekkes"
    [record] = mailed_records(store)
    assert record.user_name == "system" and "til 2 ejere" in record.details

    again = review_digest.make_digest(store, digest_settings(smtp.url))
    assert again.mailed is None and "allerede sendt i dag" in again.note
    assert len(smtp.mailbox.messages) == 2
    forced = review_digest.make_digest(store, digest_settings(smtp.url), mail_again=True)
    assert len(forced.mailed.sent) == 2 and len(smtp.mailbox.messages) == 4


def test_a_password_is_never_sent_to_a_server_without_tls(store, smtp):
    url = smtp.url.replace("smtp://", "smtp://bruger:hemmelig@")
    result = review_digest.make_digest(store, digest_settings(url))
    assert result.failed and "STARTTLS" in result.note
    assert smtp.mailbox.messages == [] and mailed_records(store) == []


def test_a_mail_server_that_is_not_there_is_reported_and_nothing_recorded(store):
    result = review_digest.make_digest(store, digest_settings(f"smtp://127.0.0.1:{free_port()}"))
    assert result.failed and "kunne ikke sendes" in result.note
    assert mailed_records(store) == []


@pytest.mark.parametrize("url", ["http://mail.koege.dk", "smtp://", "smtp://mail.koege.dk:port"])
def test_a_wrong_smtp_url_says_how_it_should_look(store, url):
    result = review_digest.make_digest(store, digest_settings(url))
    assert result.failed and ("SMTP_URL" in result.note or "Porten" in result.note)


# --- the command and make run ---------------------------------------------------------------------


def command(argv):
    parser = argparse.ArgumentParser(prog="python -m bot")
    review_digest.add_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def environment(monkeypatch, store, store_settings):
    """The command reads the same store and a mail server from the environment."""
    monkeypatch.setenv("DATA_DIR", str(store_settings.data_dir))
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))
    monkeypatch.setenv("SMTP_FROM", "assistent@koege.dk")
    monkeypatch.setenv("REVIEW_OWNER_EMAILS", "bo=bo@koege.dk; Familieteamet=familie@koege.dk")
    return monkeypatch


def test_the_command_prints_the_list_and_mails_it(environment, smtp, capsys):
    environment.setenv("SMTP_URL", smtp.url)
    assert command(["reviews"]) == 0
    out = capsys.readouterr().out
    assert "bo <bo@koege.dk>: 1 svar" in out and "Sendt til 2 ejere" in out
    assert len(smtp.mailbox.messages) == 2
    assert command(["reviews", "--days", "100", "--no-mail"]) == 0
    out = capsys.readouterr().out
    assert "Hvor kan jeg læse mere?" in out and "Sendt" not in out and len(smtp.mailbox.messages) == 2


def test_the_command_without_a_mail_server_only_prints(environment, capsys):
    environment.setenv("SMTP_URL", "")
    assert command(["reviews"]) == 0
    out = capsys.readouterr().out
    assert "Jobplaneten (overskredet)" in out and "SMTP_URL er ikke sat" in out


def test_the_command_fails_when_the_mail_cannot_go(environment, capsys):
    environment.setenv("SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    assert command(["reviews"]) == 1
    captured = capsys.readouterr()
    assert "Jobplaneten" in captured.out and "kunne ikke sendes" in captured.err


def test_make_run_logs_the_list_daily_and_mails_it_once_a_day(store, store_settings, smtp):
    now, reported = [1000.0], []
    daily = review_digest.DailyReviewDigest(store_settings, digest_settings(smtp.url), interval=3600,
                                            clock=lambda: now[0], report=reported.append, background=False)
    daily.run_if_due()
    assert len(reported) == 1 and "Jobplaneten" in reported[0] and "Sendt til 2 ejere" in reported[0]
    now[0] += 60
    daily.run_if_due()
    assert len(reported) == 1
    now[0] += 3600  # the next day (as the clock tells it): logged again, not mailed twice the same day
    daily.run_if_due()
    assert len(reported) == 2 and "allerede sendt i dag" in reported[1]
    assert len(smtp.mailbox.messages) == 2


def test_make_run_goes_on_when_the_digest_fails(tmp_path):
    reported = []
    broken = AnswerStoreSettings(database_url="postgresql://nobody@127.0.0.1:1/none", data_dir=tmp_path)
    daily = review_digest.DailyReviewDigest(broken, digest_settings(), report=reported.append)
    daily.run_if_due()  # in its own thread, as under make run
    daily.wait(30)
    assert len(reported) == 1 and reported[0].startswith("The list of answers to check could not be made")
