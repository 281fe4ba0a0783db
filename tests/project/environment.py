"""Which environment variables the code reads, for the tests of the docs and the deploy files."""
import re
from typing import Set

from bot.config import PROJECT_ROOT, SMS_CHANNELS

ENV_READS = (
    # os.environ.get("X"), env.get("X"), {**os.environ, **env}.get("X")
    re.compile(r"""(?:environ|env|\})\.get\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
    # os.environ["X"], env["X"], but not env["X"] = ... (a write)
    re.compile(r"""(?:environ|env)\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\](?!\s*=[^=])"""),
    re.compile(r"""getenv\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
)


def variables_the_code_reads() -> Set[str]:
    """Every environment variable bot/ and actions/ read, plus the SMS channels'
    variables, which bot/config.py reads by name from SMS_CHANNELS."""
    names: Set[str] = set()
    for package in ("bot", "actions"):
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for pattern in ENV_READS:
                names.update(pattern.findall(text))
    for channel in SMS_CHANNELS:
        names.update(channel.required)
        names.update(channel.keys.values())
    return names
