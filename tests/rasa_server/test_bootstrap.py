"""One bootstrap owns every change to Rasa: it refuses another Rasa version,
installs each change once, and nothing outside it replaces Rasa's methods."""
import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot import rasa_server
from bot.config import PROJECT_ROOT


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)


def test_another_rasa_version_is_refused_with_what_to_recheck():
    rasa_server.check_version(rasa_server.RASA_VERSION)
    with pytest.raises(rasa_server.RasaVersionMismatch) as refused:
        rasa_server.check_version("3.7.0")
    message = str(refused.value)
    assert "3.6.21" in message and "3.7.0" in message and "bot/rasa_server/__init__.py" in message


def test_the_entry_point_stops_on_another_rasa_version_before_rasa_starts():
    result = run_python("""
        import rasa.version
        rasa.version.__version__ = "3.7.0"
        import sys
        sys.argv = ["bot.rasa_server", "run", "--model", "models"]
        from bot.rasa_server.__main__ import main
        main()
    """)
    assert result.returncode == 1
    assert "written for Rasa 3.6.21, but Rasa 3.7.0 is installed" in result.stderr


def test_install_replaces_each_method_once_and_hardens_the_app_rasa_builds():
    result = run_python("""
        import rasa.core.run
        from rasa.core.actions.action import RemoteAction
        from rasa.core.agent import Agent
        from rasa.core.channels.rest import RestInput
        from rasa.core.processor import MessageProcessor
        from bot import rasa_server
        from rasa.core.channels.socketio import SocketIOOutput
        from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
        from bot.rasa_server import (action_guard, action_response_check, entrance, message_language, parse_thread,
                                     reply_language, safety_mode, shared_spacy, translated_responses)
        from rasa.nlu.utils.spacy_utils import SpacyNLP

        assert not rasa_server.installed()
        rasa_server.install()
        configure_app = rasa.core.run.configure_app
        rasa_server.install()  # a second call changes nothing
        assert rasa_server.installed() and rasa.core.run.configure_app is configure_app
        # The worker threads parse; the safety mode reads their parse in the
        # conversation; then the message's language is added.
        assert MessageProcessor.parse_message is reply_language._parse_with_language
        assert reply_language._parse is safety_mode._parse_in_context
        assert safety_mode._parse_alone is parse_thread.parse_message
        assert TemplatedNaturalLanguageGenerator.generate_from_slots is translated_responses._generate_translated
        assert SocketIOOutput._send_message is message_language._send_marked
        assert RemoteAction.run is action_guard._run_or_apologise
        assert RemoteAction._validate_action_result is action_response_check.validate_action_result
        assert Agent.handle_message is entrance._handle_private_message
        assert SpacyNLP.load_model.__wrapped__ is shared_spacy._original_load_model
        app = rasa.core.run.configure_app([RestInput()], port=0)
        assert app.config.REQUEST_MAX_SIZE <= 1024 * 1024
        assert app.ctx._privacy_hardened
        print("ok")
    """)
    assert result.stdout.strip().endswith("ok"), result.stderr[-3000:]


def rasa_names(tree: ast.Module) -> set:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("rasa", "rasa_sdk"):
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.split(".")[0] == "rasa"}
    return names


def replaced_rasa_attributes(path: Path) -> list:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = rasa_names(tree)
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            base = target
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(target, ast.Attribute) and isinstance(base, ast.Name) and base.id in names:
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    return found


def test_only_the_rasa_server_package_replaces_rasas_methods():
    code = [p for folder in ("bot", "actions") for p in (PROJECT_ROOT / folder).rglob("*.py")]
    outside = [p for p in code if "rasa_server" not in p.parts]
    inside = [p for p in code if "rasa_server" in p.parts]
    assert sum(map(len, map(replaced_rasa_attributes, inside))) >= 4  # the check sees the real ones
    assert [hit for p in outside for hit in replaced_rasa_attributes(p)] == []
