"""Settings are read once per process and handed down: only the settings modules
and the supervisor (which starts the other processes) read the environment."""
import ast

import pytest

from bot.config import PROJECT_ROOT, AnswerStoreSettings, PrivacySettings, ReviewDigestSettings, forget_settings

# The supervisor reads its ports and passes the environment on to the processes it starts.
READERS = {"bot/config.py", "bot/web/config.py", "bot/run.py", "bot/services.py"}


def environment_reads(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") and \
                isinstance(node.value, ast.Name) and node.value.id == "os":
            yield node.lineno
        # X.from_env() without an environment: a second reading; X.once() is the one.
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "from_env" \
                and not node.args and not node.keywords:
            yield node.lineno


def test_only_the_settings_modules_and_the_supervisor_read_the_environment():
    code = [p for folder in ("bot", "actions") for p in (PROJECT_ROOT / folder).rglob("*.py")]
    found = [f"{p.relative_to(PROJECT_ROOT)}:{line}" for p in code for line in environment_reads(p)
             if str(p.relative_to(PROJECT_ROOT)) not in READERS]
    assert found == []


def test_once_reads_the_environment_at_the_first_call_only(monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "14")
    first = PrivacySettings.once()
    monkeypatch.setenv("RETENTION_DAYS", "7")
    assert PrivacySettings.once() is first and first.retention_days == 14
    forget_settings()
    assert PrivacySettings.once().retention_days == 7


@pytest.mark.parametrize("env, months, by_kind", [
    ({}, 6, ()),
    ({"REVIEW_MONTHS": "12", "REVIEW_MONTHS_BY_KIND": "contact:3, initiative:6,"}, 12,
     (("contact", 3), ("initiative", 6))),
])
def test_review_periods_are_read_per_kind(env, months, by_kind):
    settings = AnswerStoreSettings.from_env(env)
    assert (settings.review_months, settings.review_months_by_kind) == (months, by_kind)


@pytest.mark.parametrize("env", [
    {"REVIEW_MONTHS": "0"}, {"REVIEW_MONTHS": "seks"}, {"REVIEW_MONTHS": "61"},
    {"REVIEW_MONTHS_BY_KIND": "contact=3"}, {"REVIEW_MONTHS_BY_KIND": "contact:tre"}, {"REVIEW_MONTHS_BY_KIND": ":3"},
])
def test_a_wrong_review_period_stops_the_start_with_what_is_wrong(env):
    with pytest.raises(ValueError, match="REVIEW_MONTHS"):
        AnswerStoreSettings.from_env(env)


def test_the_digest_mail_settings_keep_the_smtp_password_out_of_their_repr():
    settings = ReviewDigestSettings.from_env({
        "SMTP_URL": "smtp://bruger:hemmelig@mail.koege.dk:587",
        "REVIEW_OWNER_EMAILS": "Helhedsplanens sekretariat=sekretariat@koege.dk; anna=anna@koege.dk"})
    assert settings.owner_emails == (("Helhedsplanens sekretariat", "sekretariat@koege.dk"),
                                     ("anna", "anna@koege.dk"))
    assert settings.smtp_from == "koege-assistent@localhost" and "hemmelig" not in repr(settings)
    with pytest.raises(ValueError, match="REVIEW_OWNER_EMAILS"):
        ReviewDigestSettings.from_env({"REVIEW_OWNER_EMAILS": "anna"})


def test_live_chat_hours_are_read_and_a_value_it_cannot_read_is_refused():
    from bot.config import LiveChatSettings

    assert LiveChatSettings.from_env({}).hours.off
    assert LiveChatSettings.from_env({"LIVE_CHAT_HOURS": "man-fre 9-15"}).hours.describe() == "mandag-fredag kl. 9-15"
    with pytest.raises(ValueError, match="LIVE_CHAT_HOURS"):
        LiveChatSettings.from_env({"LIVE_CHAT_HOURS": "hver dag"})


def test_live_chat_waiting_time_and_grace_period():
    from bot.config import LiveChatSettings

    default = LiveChatSettings.from_env({})
    assert (default.wait_minutes, default.grace_seconds) == (10.0, 60.0)
    chosen = LiveChatSettings.from_env({"LIVE_CHAT_WAIT_MINUTES": "5", "LIVE_CHAT_GRACE_SECONDS": "30"})
    assert (chosen.wait_minutes, chosen.grace_seconds) == (5.0, 30.0)
    for name, value in (("LIVE_CHAT_WAIT_MINUTES", "0"), ("LIVE_CHAT_GRACE_SECONDS", "et minut")):
        with pytest.raises(ValueError, match=name):
            LiveChatSettings.from_env({name: value})
