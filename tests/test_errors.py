"""One error base: every exception class of the project is an AssistantError
with a status, a Danish message and a machine code."""
import ast
import importlib

from bot.config import PROJECT_ROOT
from bot.errors import STATUS_CODES, AssistantError, code_for, error_body


def exception_classes():
    for folder in ("bot", "actions"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
            if not names:
                continue
            module = importlib.import_module(".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts))
            for name in names:
                cls = getattr(module, name)
                if isinstance(cls, type) and issubclass(cls, BaseException) and cls.__module__ == module.__name__:
                    yield cls


def test_every_exception_class_of_ours_has_the_one_base():
    classes = list(exception_classes())
    assert len(classes) >= 10  # the scan finds them
    assert [c.__qualname__ for c in classes if not issubclass(c, AssistantError)] == []


def test_each_says_its_status_message_and_code():
    from bot.answer_store import NotFound, StoreUnavailable
    from bot.knowledge import KnowledgeError

    outage = StoreUnavailable()
    assert (outage.status, outage.code) == (503, "svardatabasen_utilgaengelig") and "kan ikke nås" in outage.message
    assert not isinstance(outage, KnowledgeError)  # an outage is not bad data
    missing = NotFound("kage")
    assert (missing.status, missing.code, str(missing)) == (404, "findes_ikke", "Posten 'kage' findes ikke.")
    assert isinstance(missing, LookupError)


def test_the_one_json_shape():
    assert error_body("Posten findes ikke.", "findes_ikke") == {"fejl": "Posten findes ikke.", "kode": "findes_ikke"}
    assert error_body("Nej.", "konflikt", nuvaerende_version=3)["nuvaerende_version"] == 3
    assert code_for(404) == "findes_ikke" and code_for(599) == STATUS_CODES[500]
