"""The documentation stays true to the tree and the code.

README.md and docs/*.md name files, folders, modules and settings. Every repo
path they name (in `backticks` or as a markdown link) must exist, every dotted
module name must resolve, links to headings must find the heading, README's
folder map must match the folders on disk, and the settings table in
docs/operations.md must list exactly the environment variables the code reads.
"""
import ast
import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

import pytest

from bot.config import PROJECT_ROOT
from tests.project.environment import variables_the_code_reads
from tests.project.test_deploy_files import READ_BY_LIBRARIES, mentions

README = PROJECT_ROOT / "README.md"
DOCS_DIR = PROJECT_ROOT / "docs"
OPERATIONS = DOCS_DIR / "operations.md"
DOCS = [README, *sorted(DOCS_DIR.glob("*.md"))]

# Created at run time (make, the servers, the tests), never in git: named, not checked.
RUNTIME = {"var", ".cache", "models", "results", ".venv", "node_modules", ".hypothesis", ".pytest_cache"}
# A token with a "/" and one of these endings is a path even under an unknown folder.
EXTENSIONS = (".py", ".yml", ".yaml", ".md", ".png", ".html", ".js", ".css", ".json", ".toml", ".lock",
              ".txt", ".mako", ".cfg", ".ini", ".sh")
# Our packages: a backticked dotted name starting with one of them must be importable.
PACKAGES = ("bot", "actions", "bench", "tests")

FENCE = re.compile(r"^ *(```|~~~)[^\n]*\n.*?^ *\1 *$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
DOTTED = re.compile(r"^(?:%s)(?:\.[A-Za-z_]\w*)+$" % "|".join(PACKAGES))
URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
PLACEHOLDER = re.compile(r"<[^<>/]*>")
ENV_NAME = re.compile(r"`([A-Z][A-Z0-9_]*)`")


# --- reading the docs ----------------------------------------------------------

def doc_id(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


@lru_cache(maxsize=None)
def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def prose(path: Path) -> str:
    """The text outside fenced code blocks (commands, sample output, the folder map)."""
    return FENCE.sub("", text_of(path))


def inline_code(path: Path) -> List[str]:
    return INLINE_CODE.findall(prose(path))


def links(path: Path) -> List[str]:
    return LINK.findall(prose(path))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> Set[str]:
    seen: Dict[str, int] = {}
    found = set()
    for _, heading in HEADING.findall(prose(path)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


# --- which tokens are paths, and do they exist --------------------------------

@lru_cache(maxsize=None)
def top_level() -> Set[str]:
    return {entry.name for entry in PROJECT_ROOT.iterdir()} | RUNTIME


def words(code: str) -> Iterator[str]:
    """The words of an inline code span that could be paths, trimmed of quotes and punctuation."""
    for word in code.split():
        word = word.strip("\"'()[]{},;")
        word = word.rstrip(".:") if not word.endswith("/") else word
        if word:
            yield word


def path_like(word: str) -> bool:
    if "://" in word or word.startswith(("/", "~", "$", "{")) or "/" not in word:
        return False
    first = word.split("/", 1)[0]
    if re.fullmatch(r"[A-Z][A-Z0-9_]*", first):  # DATA_DIR/answers.db: a setting, not a folder
        return False
    return first in top_level() or word.endswith(EXTENSIONS) or library_root(first) is not None


@lru_cache(maxsize=None)
def library_root(name: str) -> Optional[Path]:
    """The folder holding an installed package that is not ours (rasa/core/...): its site-packages."""
    if not name.isidentifier() or name in PACKAGES or (PROJECT_ROOT / name).exists():
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).parent


def exists(relative: str, base: Path = PROJECT_ROOT) -> bool:
    """Whether a path (maybe with * or <placeholder> parts) names something on disk."""
    relative = PLACEHOLDER.sub("*", relative)
    first = relative.split("/", 1)[0]
    if base == PROJECT_ROOT and first in RUNTIME:
        return True
    if base == PROJECT_ROOT and first not in top_level():
        base = library_root(first) or base
    pattern = relative.rstrip("/")
    if "*" in pattern:
        matches = list(base.glob(pattern))
        return bool(matches) and (not relative.endswith("/") or any(m.is_dir() for m in matches))
    target = base / pattern
    return target.is_dir() if relative.endswith("/") else target.exists()


def named_paths(path: Path) -> Set[str]:
    return {word for code in inline_code(path) for word in words(code) if path_like(word)}


# --- dotted module names --------------------------------------------------------

def defined_names(source_file: Path) -> Set[str]:
    """Top-level names a module defines or imports (functions, classes, assignments, imports)."""
    tree = ast.parse(source_file.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def resolves(dotted: str) -> Tuple[bool, str]:
    """``bot.nlp.danger.DangerDetector``: the longest importable module (found with
    find_spec, which imports only its parent packages), then a top-level name in it."""
    parts = dotted.split(".")
    spec, module_parts = None, 0
    for count in range(1, len(parts) + 1):
        try:
            found = importlib.util.find_spec(".".join(parts[:count]))
        except (ImportError, ValueError):
            found = None
        if found is None:
            break
        spec, module_parts = found, count
        if not found.submodule_search_locations:  # a plain module: the rest are attributes
            break
    if spec is None:
        return False, f"no module {parts[0]}"
    rest = parts[module_parts:]
    if not rest:
        return True, ""
    origin = Path(spec.origin) if spec.origin else None
    if origin is None or origin.suffix != ".py":
        return False, f"{'.'.join(parts[:module_parts])} has no source to find {rest[0]} in"
    if rest[0] not in defined_names(origin):
        return False, f"{'.'.join(parts[:module_parts])} has no {rest[0]} (and no submodule of that name)"
    return True, ""


def named_modules(path: Path) -> Set[str]:
    found = set()
    for code in inline_code(path):
        token = re.sub(r"\(.*\)$", "", code.strip())
        if DOTTED.match(token):
            found.add(token)
        tokens = code.split()
        for before, after in zip(tokens, tokens[1:]):
            if before == "-m" and after.split(".")[0] in PACKAGES:
                found.add(after)
    return found


# --- the tests: paths, modules, links, the folder map -------------------------

@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_every_path_a_doc_names_exists(doc):
    missing = sorted(word for word in named_paths(doc) if not exists(word))
    assert not missing, f"{doc_id(doc)} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_every_module_a_doc_names_resolves(doc):
    problems = {}
    for dotted in sorted(named_modules(doc)):
        ok, why = resolves(dotted)
        if not ok:
            problems[dotted] = why
    assert not problems, f"{doc_id(doc)} names modules that do not resolve: {problems}"


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_every_link_finds_its_file_and_heading(doc):
    problems = []
    for target in links(doc):
        if URL_SCHEME.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (doc.parent / file_part).resolve() if file_part else doc
        if PROJECT_ROOT.resolve() not in (linked, *linked.parents):
            problems.append(f"{target}: outside the repository")
        elif not linked.exists():
            problems.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            problems.append(f"{target}: no heading with that anchor in {linked.name}")
    assert not problems, f"{doc_id(doc)}: {problems}"


def test_the_docs_are_found_and_the_readme_links_them_all():
    assert {path.name for path in DOCS} >= {
        "README.md", "architecture.md", "operations.md", "staff-guide.md", "sms.md", "widget.md",
        "privacy.md", "testing.md"}
    linked = {(README.parent / target.partition("#")[0]).resolve() for target in links(README)}
    unlinked = [doc_id(doc) for doc in DOCS[1:] if doc.resolve() not in linked]
    assert not unlinked, f"README.md does not link {unlinked}"


def folder_map() -> List[Tuple[str, int]]:
    """README's "Where things are": (path, line number) of every entry, nested by indentation."""
    text = text_of(README)
    start = text.index("## Where things are")
    block = FENCE.search(text, start)
    assert block, "README.md: no folder map under 'Where things are'"
    entries: List[Tuple[str, int]] = []
    stack: List[Tuple[int, str]] = []
    first_line = text.count("\n", 0, block.start()) + 1
    for number, line in enumerate(block.group(0).splitlines()[1:-1], start=first_line + 1):
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip() or indent > 6:  # a description's continuation line
            continue
        token = line.split()[0].rstrip(",")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = (stack[-1][1] if stack else "") + token
        entries.append((path, number))
        if token.endswith("/"):
            stack.append((indent, path))
    return entries


def test_the_folder_map_names_only_what_exists():
    missing = [f"{path} (README.md line {number})" for path, number in folder_map() if not exists(path)]
    assert not missing, f"the folder map names what is not there: {missing}"


def test_the_folder_map_names_every_folder():
    """Every folder of the repository down to two levels (bot/rasa_server/, tests/web/, bench/candidates/)."""
    mapped = {path.rstrip("/") for path, _ in folder_map()}
    for path, _ in folder_map():  # data/nlu/ also maps data/
        parts = path.rstrip("/").split("/")
        mapped.update("/".join(parts[:count]) for count in range(1, len(parts)))
    folders = []
    for folder in sorted(PROJECT_ROOT.glob("*/")) + sorted(PROJECT_ROOT.glob("*/*/")):
        relative = folder.relative_to(PROJECT_ROOT)
        if not folder.is_dir() or any(part.startswith(".") or part in RUNTIME or part == "__pycache__"
                                      or part.endswith(".egg-info") for part in relative.parts):
            continue
        if not any(child.is_file() and child.suffix != ".pyc" for child in folder.rglob("*")):
            continue  # an empty folder left behind (only __pycache__)
        folders.append(str(relative))
    unmapped = [folder for folder in folders if folder not in mapped]
    assert not unmapped, f"README.md's folder map lacks {unmapped}"


# --- the settings table ---------------------------------------------------------

def tables(markdown: str) -> List[List[List[str]]]:
    """Every pipe table: a list of rows (header first, separator dropped), each a list of cells."""
    found, current = [], []
    for line in markdown.splitlines() + [""]:
        if line.lstrip().startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def section(markdown: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\s*$", markdown, re.MULTILINE)
    assert match, f"docs/operations.md has no '## {heading}'"
    end = re.search(r"^## ", markdown[match.end():], re.MULTILINE)
    return markdown[match.end(): match.end() + end.start() if end else len(markdown)]


def variables_in(table: List[List[str]]) -> Set[str]:
    return {name for row in table[1:] for name in ENV_NAME.findall(row[0])}


def settings_table() -> Set[str]:
    found = [table for table in tables(section(prose(OPERATIONS), "Settings")) if table[0][0] == "variable"]
    assert found, "docs/operations.md: no settings table under '## Settings'"
    return variables_in(found[0])


def test_the_code_reads_variables_at_all():
    """A guard for the patterns above: if they found nothing, the tests below would prove nothing."""
    names = variables_the_code_reads()
    assert {"DATABASE_URL", "RETENTION_DAYS", "PRIVACY_KEY", "ACTION_SERVER_URL", "GATEWAYAPI_TOKEN"} <= names


def test_every_variable_the_code_reads_is_in_the_settings_table():
    missing = sorted(variables_the_code_reads() - settings_table())
    assert not missing, f"read by the code but not in docs/operations.md's settings table: {missing}"


def test_every_variable_the_docs_tabulate_is_read_by_something():
    """In every variable table of docs/operations.md: read by our code, or by Rasa or a
    library (tests/project/test_deploy_files.py's list, whose sources must mention it)."""
    ours = variables_the_code_reads()
    unknown = {}
    for table in tables(prose(OPERATIONS)):
        if table[0][0] != "variable":
            continue
        for name in sorted(variables_in(table) - ours):
            package = READ_BY_LIBRARIES.get(name)
            if not (package and mentions(package, name)):
                unknown[name] = "not read by bot/, actions/ or a known library"
    assert not unknown, f"docs/operations.md documents variables nothing reads: {unknown}"
