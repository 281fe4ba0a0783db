"""Settings are read once per process and handed down: only the settings modules
and the supervisor (which starts the other processes) read the environment."""
import ast

from bot.config import PROJECT_ROOT, PrivacySettings, forget_settings

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
