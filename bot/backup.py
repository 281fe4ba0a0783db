"""Backups of the answer store and the conversations, and bringing one back.

``python -m bot backup DIR [--keep N]`` writes one file,
``DIR/koege-assistant-backup-<UTC time>.tar.gz``, while the assistant runs:

- ``answers.db``: the answer store (entries and their history, staff accounts,
  audit log, callback requests, sentence reviews), copied with SQLite's online
  backup API (``sqlite3.Connection.backup``): one read transaction, so the copy
  is the store as it was at one moment, and in WAL mode the servers go on
  writing meanwhile;
- ``conversations.db``: the conversation store, copied the same way;
- ``privacy.key``: the key of the pseudonyms conversations are stored under
  (only when it is the file in ``DATA_DIR``, not ``PRIVACY_KEY``); without it a
  restored conversation could not be continued;
- ``manifest.json``: when, the answer store's schema revision, what is in it,
  and the SHA-256 of every file.

Retention is applied to the copy before it is packed (conversations and
callback requests older than ``RETENTION_DAYS``), and the copy is vacuumed, so
the backup holds nothing the live stores would already have deleted, not even
in free pages. The command then deletes all but the newest ``--keep`` backups
in ``DIR``, and every backup older than ``RETENTION_DAYS``: nothing retention
deleted outlives its deletion by more than that in a backup.

The SMS channels' stores (``SMS_DATA_DIR``) are left out on purpose: they hold
hours of state (message ids seen, the last numbered options) and the outbox of
replies not yet sent; an outbox brought back days later would send replies a
second time, or late, to residents' phone numbers.

``python -m bot restore FILE [--yes] [--check]`` verifies the file (its
checksums and SQLite's integrity check), refuses while the assistant runs,
moves the current files aside (``<file>.before-restore-<UTC time>``, never
deleted), copies the backup in and migrates the answer store to the current
schema. A store in PostgreSQL is backed up and restored with ``pg_dump`` and
``pg_restore``: the commands say how (exit code 2) and do nothing else.

What the commands print is for operators and in Danish.
"""
import argparse
import contextlib
import dataclasses
import datetime
import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import sys
import tarfile
import tempfile
import zlib
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple
from urllib.parse import urlsplit

import sqlalchemy as sa

from bot.config import AnswerStoreSettings, PrivacySettings
from bot.errors import AssistantError
from bot.sqlite import BUSY_TIMEOUT_S, is_sqlite_file

FORMAT = 1
PREFIX = "koege-assistant-backup-"
SUFFIX = ".tar.gz"
STAMP = "%Y%m%dT%H%M%SZ"
BACKUP_NAME = re.compile(rf"^{re.escape(PREFIX)}(\d{{8}}T\d{{6}}Z)(?:-\d+)?{re.escape(SUFFIX)}$")
DEFAULT_KEEP = 14
MANIFEST = "manifest.json"
ANSWERS, CONVERSATIONS, PRIVACY_KEY_FILE = "answers.db", "conversations.db", "privacy.key"
DATABASES = (ANSWERS, CONVERSATIONS)
MEMBERS = (MANIFEST, ANSWERS, CONVERSATIONS, PRIVACY_KEY_FILE)
WHAT = {ANSWERS: "svardatabasen", CONVERSATIONS: "samtalerne", PRIVACY_KEY_FILE: "nøglen til pseudonymerne"}
LOCK_NAME = ".koege-assistant-backup.lock"
WORK_PREFIX = ".koege-assistant-backup-work-"
PARTIAL_SUFFIX = ".partial"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
OPERATIONS_DOC = "docs/operations.md, afsnittet \"Backups\""


class BackupError(AssistantError):
    """A backup or restore that cannot be done; the message says why and what to do, in Danish.
    ``exit_code`` 2: the store is in PostgreSQL, which pg_dump backs up, not this command."""

    code = "backup_fejl"

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


# --- where the stores are -------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Stores:
    """The installation's stores as the settings name them: a SQLite file each, or
    ``None`` where the store is a database server (``*_url`` says which)."""

    answers: Optional[Path]
    answers_url: str
    conversations: Optional[Path]
    conversations_url: str
    privacy_key: Optional[Path]  # None: PRIVACY_KEY is set, there is no file
    retention_days: float
    answer_settings: AnswerStoreSettings

    @classmethod
    def configured(cls, privacy: Optional[PrivacySettings] = None,
                   answers: Optional[AnswerStoreSettings] = None) -> "Stores":
        privacy = privacy or PrivacySettings.once()
        answers = answers or AnswerStoreSettings.once()
        return cls(
            answers=_sqlite_path(answers.url), answers_url=answers.url,
            conversations=_sqlite_path(privacy.database_url), conversations_url=privacy.database_url,
            privacy_key=None if privacy.privacy_key else Path(privacy.data_dir) / PRIVACY_KEY_FILE,
            retention_days=privacy.retention_days, answer_settings=answers,
        )

    def targets(self) -> Dict[str, Optional[Path]]:
        return {ANSWERS: self.answers, CONVERSATIONS: self.conversations, PRIVACY_KEY_FILE: self.privacy_key}


def _sqlite_path(url: str) -> Optional[Path]:
    return Path(sa.engine.make_url(url).database).resolve() if is_sqlite_file(url) else None


def _not_sqlite(stores: Stores) -> List[Tuple[str, str, str]]:
    """(archive name, variable, URL) of each store that is not a SQLite file."""
    return [(name, variable, url) for name, variable, url, path in (
        (ANSWERS, "DATABASE_URL", stores.answers_url, stores.answers),
        (CONVERSATIONS, "TRACKER_DATABASE_URL", stores.conversations_url, stores.conversations),
    ) if path is None]


def postgresql_instructions(stores: Stores, directory: str = "/var/backups/koege-assistant") -> str:
    """What to run instead for the stores in PostgreSQL: the commands docs/operations.md shows."""
    lines, dumps = [], []
    for name, variable, url in _not_sqlite(stores):
        driver = sa.engine.make_url(url).drivername
        if not driver.startswith("postgresql"):
            lines.append(f"{WHAT[name].capitalize()} ligger i {driver} ({variable}): det kan der ikke tages backup "
                         "af med denne kommando.")
            continue
        lines.append(f"{WHAT[name].capitalize()} ligger i PostgreSQL ({variable}).")
        if driver != "postgresql":
            lines.append(f"  pg_dump kender ikke '{driver}://': brug URL'en med 'postgresql://' i stedet for "
                         f"\"${variable}\" i kommandoerne nedenfor.")
        dumps.append(("answers" if name == ANSWERS else "conversations", variable))
    if not dumps:
        return "\n".join(lines)
    minutes = int(stores.retention_days * 24 * 60)
    lines += [
        "PostgreSQL tages der backup af med pg_dump, ikke med denne kommando. Kør med samme miljø som assistenten:",
        "",
        "  python -m bot retention   # først: backuppen skal ikke rumme det, retention sletter",
        "  umask 077                 # backuppen rummer personoplysninger",
        f"  mkdir -p {directory}",
        *[f'  pg_dump --format=custom --file="{directory}/koege-{stem}-$(date -u +%Y%m%dT%H%M%SZ).dump" "${variable}"'
          for stem, variable in dumps],
        f"  find {directory} -name 'koege-*.dump' -mmin +{minutes} -delete   "
        f"# intet ældre end RETENTION_DAYS ({stores.retention_days:g} dage)",
        "",
        "Tjek en backup:  pg_restore --list FIL.dump",
        "Gendan, med assistentens servere stoppet:",
        *[f'  pg_restore --clean --if-exists --no-owner --dbname="${variable}" {directory}/koege-{stem}-TID.dump'
          for stem, variable in dumps],
        "",
        f"Se {OPERATIONS_DOC}.",
    ]
    return "\n".join(lines)


def refuse_postgresql(backup_files, stores: Stores) -> None:
    """A backup of a store that is no SQLite file here cannot be restored by this command."""
    if any(name in backup_files for name, _, _ in _not_sqlite(stores)):
        raise BackupError(postgresql_instructions(stores) + "\n\nIntet er gendannet.", exit_code=2)


# --- copying a SQLite store while it is written ------------------------------------

def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite database ``source`` (its committed state at
    one moment, WAL included) as the single file ``target``."""
    live = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_S)
    try:
        copy = sqlite3.connect(str(target))
        try:
            live.backup(copy)  # every page in one step: one read transaction, writers go on (WAL)
        finally:
            copy.close()
    finally:
        live.close()


def compact(path: Path) -> str:
    """Make ``path`` a self-contained file without the rows deleted from it (VACUUM
    rewrites it, so they are not left in free pages either); SQLite's integrity check."""
    database = sqlite3.connect(str(path))
    try:
        database.execute("PRAGMA journal_mode=DELETE")
        database.execute("VACUUM")
        return database.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        database.close()


def _count(database: sqlite3.Connection, query: str) -> Optional[int]:
    try:
        return database.execute(query).fetchone()[0]
    except sqlite3.OperationalError:  # no such table: a store from before it existed
        return None


def contents(path: Path, name: str) -> Dict[str, object]:
    """What a copied store holds, for the manifest and the operator."""
    database = sqlite3.connect(str(path))
    try:
        if name == ANSWERS:
            return {
                "schema_revision": answer_store_revision(database),
                "entries": _count(database, "SELECT COUNT(*) FROM entries WHERE NOT retired"),
                "entry_versions": _count(database, "SELECT COUNT(*) FROM entry_versions"),
                "staff_users": _count(database, "SELECT COUNT(*) FROM staff_users"),
                "callback_requests": _count(database, "SELECT COUNT(*) FROM callback_requests"),
            }
        return {
            "conversations": _count(database, "SELECT COUNT(DISTINCT sender_id) FROM events"),
            "events": _count(database, "SELECT COUNT(*) FROM events"),
        }
    finally:
        database.close()


def answer_store_revision(database: sqlite3.Connection) -> Optional[str]:
    try:
        row = database.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def apply_retention(work: Path, stores: Stores) -> Dict[str, int]:
    """Delete from the copies in ``work`` what retention deletes from the live stores."""
    from bot.privacy.retention import delete_old_callback_requests, delete_old_conversations

    deleted = {"conversations": 0, "events": 0, "callback_requests": 0}
    if (work / CONVERSATIONS).exists():
        conversations = delete_old_conversations(f"sqlite:///{work / CONVERSATIONS}", stores.retention_days)
        deleted.update(conversations)
    if (work / ANSWERS).exists():
        copy = dataclasses.replace(stores.answer_settings, data_dir=work, database_url="")
        deleted["callback_requests"] = delete_old_callback_requests(copy, stores.retention_days)
    return deleted


# --- writing and pruning backups ----------------------------------------------------

def _private_file(path: Path):
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _only_backup_running(directory: Path) -> Iterator[None]:
    with open(directory / LOCK_NAME, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"En anden backup skrives allerede til {directory}. Vent, til den er færdig.") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_leftovers(directory: Path) -> None:
    """What a backup stopped half-way left behind (it holds personal data too)."""
    for path in directory.iterdir():
        if path.name.startswith(WORK_PREFIX) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(PREFIX) and path.name.endswith(PARTIAL_SUFFIX):
            path.unlink(missing_ok=True)


def backup_time(path: Path) -> Optional[datetime.datetime]:
    match = BACKUP_NAME.match(path.name)
    if not match:
        return None
    return datetime.datetime.strptime(match.group(1), STAMP).replace(tzinfo=datetime.timezone.utc)


def backups_in(directory: Path) -> List[Path]:
    """The backups in ``directory``, newest first (other files are not ours and are left alone)."""
    found = [path for path in directory.iterdir() if path.is_file() and backup_time(path)]
    return sorted(found, key=lambda path: (backup_time(path), path.name), reverse=True)


def prune(directory: Path, keep: int, retention_days: float, now: Optional[datetime.datetime] = None) -> List[Path]:
    """Delete all but the newest ``keep`` backups, and every backup older than
    ``retention_days``. Returns the deleted files."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    too_old = now - datetime.timedelta(days=retention_days)
    deleted = []
    for position, path in enumerate(backups_in(directory)):
        if position >= keep or backup_time(path) < too_old:
            path.unlink()
            deleted.append(path)
    return deleted


@dataclasses.dataclass
class BackupResult:
    path: Path
    manifest: dict
    deleted_by_retention: Dict[str, int]
    pruned: List[Path]


def write_backup(directory: Path, stores: Stores, keep: int = DEFAULT_KEEP,
                 now: Optional[datetime.datetime] = None) -> BackupResult:
    """Back up the SQLite stores of ``stores`` into one new file in ``directory``, then prune."""
    now = (now or datetime.datetime.now(datetime.timezone.utc)).replace(microsecond=0)
    present = {name: path for name, path in stores.targets().items() if path is not None and path.exists()}
    if not any(name in present for name in DATABASES):
        raise BackupError("Der er intet at tage backup af: hverken svardatabasen "
                          f"({stores.answers}) eller samtalerne ({stores.conversations}) findes endnu.")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _only_backup_running(directory):
        _remove_leftovers(directory)
        work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=directory))  # mode 0700
        try:
            for name in DATABASES:
                if name in present:
                    copy_sqlite(present[name], work / name)
            deleted = apply_retention(work, stores)
            files: Dict[str, dict] = {}
            for name in DATABASES:
                if name not in present:
                    continue
                check = compact(work / name)
                if check != "ok":
                    raise BackupError(f"Kopien af {WHAT[name]} består ikke SQLites integritetstjek ({check}). "
                                      f"Tjek {present[name]} med `sqlite3 {present[name]} 'PRAGMA integrity_check'`.")
                files[name] = {"contents": contents(work / name, name)}
            if PRIVACY_KEY_FILE in present:
                shutil.copyfile(present[PRIVACY_KEY_FILE], work / PRIVACY_KEY_FILE)
                files[PRIVACY_KEY_FILE] = {}
            for name, entry in files.items():
                os.chmod(work / name, 0o600)
                entry.update(sha256=sha256(work / name), bytes=(work / name).stat().st_size)
            manifest = {
                "format": FORMAT,
                "created": now.isoformat(),
                "retention_days": stores.retention_days,
                "answer_store_revision": files.get(ANSWERS, {}).get("contents", {}).get("schema_revision"),
                "rasa": _rasa_version(),
                "files": files,
                # SQLite stores that had no file yet: a restore leaves none there either.
                "absent": [name for name in DATABASES if name not in present and stores.targets()[name]],
                "deleted_from_copy_by_retention": deleted,
            }
            path = _pack(directory, work, manifest, now)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        pruned = prune(directory, keep, stores.retention_days, now)
    return BackupResult(path, manifest, deleted, pruned)


def _rasa_version() -> Optional[str]:
    from importlib import metadata

    try:
        return metadata.version("rasa")
    except metadata.PackageNotFoundError:
        return None


def _pack(directory: Path, work: Path, manifest: dict, now: datetime.datetime) -> Path:
    name = f"{PREFIX}{now.strftime(STAMP)}"
    final = directory / f"{name}{SUFFIX}"
    number = 1
    while final.exists():
        number += 1
        final = directory / f"{name}-{number}{SUFFIX}"
    partial = final.with_name(final.name + PARTIAL_SUFFIX)
    with _private_file(partial) as raw:
        with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive:
            manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            archive.addfile(_member(MANIFEST, len(manifest_bytes), now), io.BytesIO(manifest_bytes))
            for member in manifest["files"]:
                with open(work / member, "rb") as file:
                    archive.addfile(_member(member, (work / member).stat().st_size, now), file)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(partial, final)
    _fsync_directory(directory)
    return final


def _member(name: str, size: int, now: datetime.datetime) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(now.timestamp())
    return info


# --- reading and checking a backup -------------------------------------------------

@dataclasses.dataclass
class VerifiedBackup:
    path: Path
    manifest: dict
    files: Dict[str, Path]  # archive name -> the verified file, extracted

    @property
    def created(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.manifest["created"])


def _corrupt(path: Path, why: str) -> BackupError:
    return BackupError(f"{path} kan ikke bruges: {why} Den er beskadiget eller ikke en backup fra assistenten. "
                       "Brug en anden backup.")


def extract(path: Path, into: Path) -> VerifiedBackup:
    """Read the backup at ``path`` into the folder ``into`` and verify it: the
    manifest, every file's SHA-256, and SQLite's integrity check of each store."""
    if not path.exists():
        raise BackupError(f"Backupfilen {path} findes ikke.")
    if not path.is_file():
        raise BackupError(f"{path} er ikke en fil. Angiv en backupfil ({PREFIX}...{SUFFIX}).")
    if not os.access(path, os.R_OK):
        raise BackupError(f"Backupfilen {path} kan ikke læses med denne bruger (ingen adgang).")
    extracted: Dict[str, Path] = {}
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            for member in archive:
                if member.name not in MEMBERS or not member.isfile() or member.name in extracted:
                    raise _corrupt(path, f"den rummer '{member.name}', som ikke hører til en backup.")
                source = archive.extractfile(member)
                with source, _private_file(into / member.name) as target:
                    shutil.copyfileobj(source, target)
                extracted[member.name] = into / member.name
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise _corrupt(path, f"filen kan ikke pakkes ud ({type(error).__name__}).") from None
    except OSError as error:
        raise BackupError(f"{path} kunne ikke pakkes ud i {into}: {error.strerror or error}. Er der plads? "
                          "(Den midlertidige mappe er TMPDIR, ellers /tmp.)") from None
    if MANIFEST not in extracted:
        raise _corrupt(path, f"{MANIFEST} mangler.")
    try:
        manifest = json.loads(extracted[MANIFEST].read_text(encoding="utf-8"))
        listed = manifest["files"]
        datetime.datetime.fromisoformat(manifest["created"])
        if not isinstance(listed, dict) or not all(isinstance(entry, dict) for entry in listed.values()):
            raise TypeError("files")
    except (ValueError, KeyError, TypeError):
        raise _corrupt(path, f"{MANIFEST} kan ikke læses.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} er i backupformat {manifest.get('format')}, som denne version af assistenten "
                          "ikke kender. Gendan den med den version, der skrev den, eller en nyere.")
    for name in listed:
        if name not in extracted:
            raise _corrupt(path, f"{name} står i {MANIFEST}, men mangler i filen.")
        if sha256(extracted[name]) != listed[name].get("sha256"):
            raise BackupError(f"Kontrolsummen for {name} i {path} passer ikke: filen er ændret eller beskadiget, "
                              "efter backuppen blev skrevet. Brug en anden backup.")
    for name in extracted:
        if name != MANIFEST and name not in listed:
            raise _corrupt(path, f"{name} står ikke i {MANIFEST}.")
    for name in DATABASES:
        if name in extracted:
            try:
                database = sqlite3.connect(str(extracted[name]))
                try:
                    check = database.execute("PRAGMA integrity_check").fetchone()[0]
                finally:
                    database.close()
            except sqlite3.DatabaseError as error:
                check = str(error)
            if check != "ok":
                raise _corrupt(path, f"{name} består ikke SQLites integritetstjek ({check}).")
    files = {name: file for name, file in extracted.items() if name != MANIFEST}
    _check_revision_is_known(path, manifest)
    return VerifiedBackup(path, manifest, files)


def _check_revision_is_known(path: Path, manifest: dict) -> None:
    revision = manifest.get("answer_store_revision")
    if not revision:
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from bot.answer_store.database import MIGRATIONS

    try:
        known = ScriptDirectory(str(MIGRATIONS)).get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError(f"{path} er skrevet af en nyere version af assistenten (svardatabasens skemaversion "
                          f"{revision} kendes ikke her). Opdater assistenten, og gendan så.")


# --- restoring ----------------------------------------------------------------------

def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _holders(paths: List[Path]) -> Iterator[Tuple[int, Path]]:
    """(process id, file) for each other process that has one of ``paths`` open
    (Linux's /proc; processes of other users are seen only by root)."""
    wanted = {str(path) for path in paths}
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for process in proc.iterdir():
        if not process.name.isdigit() or int(process.name) == os.getpid():
            continue
        try:
            descriptors = list((process / "fd").iterdir())
        except OSError:
            continue
        for descriptor in descriptors:
            try:
                target = os.readlink(descriptor)
            except OSError:
                continue
            if target in wanted:
                yield int(process.name), Path(target)
                break


def server_ports(config=None) -> List[Tuple[int, str]]:
    """(port, which server) for each server of the assistant on this machine, as
    the settings say (bot/web/config.py: WEB_PORT, RASA_PORT, and ACTION_PORT or
    ACTION_SERVER_URL when it points to this machine)."""
    from bot.web.config import WebConfig, WebConfigError

    try:
        config = config or WebConfig.once()
    except WebConfigError as error:
        raise BackupError(f"Portindstillingerne kan ikke læses: {error}") from None
    ports = [(config.rasa_port, "Rasa-serveren, RASA_PORT"), (config.port, "webappen, WEB_PORT")]
    for url, which in ((config.action_server_url, "action-serveren, ACTION_PORT"),
                       (config.rasa_url, "Rasa-serveren, RASA_URL")):
        parts = urlsplit(url)
        if parts.hostname in LOOPBACK and parts.port:
            ports.append((parts.port, which))
    unique: Dict[int, str] = {}
    for port, which in ports:
        unique.setdefault(port, which)
    return list(unique.items())


def running_servers(stores: Stores, ports: Optional[List[Tuple[int, str]]] = None) -> List[str]:
    """Why the assistant looks like it runs: one of its ports on this machine
    answers (``server_ports``), or another process has a store's file open (a
    server started another way or under other ports, a backup running)."""
    reasons = [f"noget svarer på port {port} ({which})"
               for port, which in (server_ports() if ports is None else ports) if _listening(port)]
    files = []
    for path in (stores.answers, stores.conversations):
        if path is not None:
            files += [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    for pid, path in _holders(files):
        reasons.append(f"proces {pid} har {path} åben")
    return reasons


def _aside(path: Path, stamp: str) -> Path:
    aside = path.with_name(f"{path.name}.before-restore-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.before-restore-{stamp}-{number}")
    return aside


def move_aside(path: Path, stamp: str) -> List[Path]:
    """Move ``path`` (with its -wal and -shm, named so SQLite still finds them)
    out of the way. Nothing is deleted. Returns the new names."""
    moved = []
    if path.exists():
        aside = _aside(path, stamp)
        os.replace(path, aside)
        moved.append(aside)
        base = aside
    else:
        base = _aside(path, stamp)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            target = base.with_name(base.name + suffix)
            os.replace(companion, target)
            moved.append(target)
    return moved


def _put(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    partial.unlink(missing_ok=True)
    with open(source, "rb") as reading, _private_file(partial) as writing:
        shutil.copyfileobj(reading, writing)
        writing.flush()
        os.fsync(writing.fileno())
    os.replace(partial, target)
    _fsync_directory(target.parent)


@dataclasses.dataclass
class RestoreResult:
    backup: VerifiedBackup
    restored: Dict[str, Path]
    moved_aside: List[Path]
    skipped: List[str]
    migrated_from: Optional[str]


def restore(backup: VerifiedBackup, stores: Stores, now: Optional[datetime.datetime] = None) -> RestoreResult:
    """Put the verified backup in the place of the current stores. The caller has
    checked that no server runs (``running_servers``)."""
    refuse_postgresql(backup.files, stores)
    stamp = (now or datetime.datetime.now(datetime.timezone.utc)).strftime(STAMP)
    targets = stores.targets()
    restored: Dict[str, Path] = {}
    moved: List[Path] = []
    skipped: List[str] = []
    try:
        for name in (ANSWERS, CONVERSATIONS, PRIVACY_KEY_FILE):
            target = targets[name]
            if target is None:
                if name in backup.files:
                    skipped.append(f"{WHAT[name]}: PRIVACY_KEY er sat, så nøglefilen fra backuppen bruges ikke")
                continue
            if name in backup.files or name in backup.manifest.get("absent", []):
                moved += move_aside(target, stamp)
            if name in backup.files:
                _put(backup.files[name], target)
                restored[name] = target
    except OSError as error:
        where = "".join(f"\n  {path}" for path in moved) or " ingen"
        raise BackupError(f"Gendannelsen stoppede halvvejs: {error}. De hidtidige filer, der nåede at blive "
                          f"flyttet til side, ligger her (flyt dem tilbage, eller ret fejlen og gendan igen):{where}")
    migrated_from = None
    if ANSWERS in restored:
        from bot.answer_store import AnswerStore

        migrated_from = backup.manifest.get("answer_store_revision")
        try:
            store = AnswerStore.open(stores.answer_settings)  # migrates an older backup to the current schema
        except sa.exc.SQLAlchemyError as error:
            raise BackupError(f"Filerne er gendannet, men svardatabasen ({restored[ANSWERS]}) kunne ikke bringes til "
                              f"den nyeste skemaversion: {type(error).__name__}: {error}. Start ikke assistenten; "
                              "de hidtidige filer ligger som *.before-restore-" + stamp + ".") from None
        store.close()
    return RestoreResult(backup, restored, moved, skipped, migrated_from)


# --- what the commands print ------------------------------------------------------

def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("B", "kB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}".replace(".", ",")
        size /= 1024
    return f"{size:.1f} GB".replace(".", ",")


def describe(manifest: dict) -> str:
    parts = []
    files = manifest.get("files", {})
    answers = files.get(ANSWERS, {}).get("contents")
    if answers:
        parts.append(f"svardatabasen (skemaversion {answers.get('schema_revision')}; "
                     f"poster: {answers.get('entries')}, versioner af poster: {answers.get('entry_versions')}, "
                     f"medarbejderkonti: {answers.get('staff_users')}, "
                     f"ønsker om at blive ringet op: {answers.get('callback_requests')})")
    conversations = files.get(CONVERSATIONS, {}).get("contents")
    if conversations:
        parts.append(f"samtalerne (afsendere: {conversations.get('conversations')}, "
                     f"hændelser: {conversations.get('events')})")
    if PRIVACY_KEY_FILE in files:
        parts.append(WHAT[PRIVACY_KEY_FILE])
    return ", ".join(parts)


def _schema_head() -> Optional[str]:
    from alembic.script import ScriptDirectory

    from bot.answer_store.database import MIGRATIONS

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _local_time(moment: datetime.datetime) -> str:
    from bot.answer_store.times import danish_time

    return danish_time(moment)


def _backup_command(args) -> int:
    stores = Stores.configured()
    directory = Path(args.directory).expanduser().resolve()
    missing = _not_sqlite(stores)
    result = None
    if len(missing) < len(DATABASES):
        try:
            result = write_backup(directory, stores, keep=args.keep)
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            raise BackupError(f"Backuppen kunne ikke skrives til {directory}: {error.strerror or error}{where}. "
                              "Tjek, at mappen kan oprettes, at brugeren må skrive i den og læse de data, der skal "
                              "med, og at der er plads.") from None
    if result is not None:
        deleted = result.deleted_by_retention
        print(f"Backup skrevet: {result.path} ({_size(result.path)}): {describe(result.manifest)}.")
        print(f"Fjernet fra kopien, fordi det er ældre end {stores.retention_days:g} dage (RETENTION_DAYS): "
              f"{deleted['conversations']} samtaler, {deleted['events']} hændelser, "
              f"{deleted['callback_requests']} ønsker om at blive ringet op.")
        print(f"Ældre backups slettet: {len(result.pruned)} (de nyeste {args.keep} beholdes, "
              f"ingen over {stores.retention_days:g} dage).")
    if missing:
        print(postgresql_instructions(stores, str(directory)), file=sys.stderr)
        return 2
    return 0


def _confirmed(backup: VerifiedBackup, stores: Stores) -> bool:
    if not sys.stdin.isatty():
        raise BackupError("Gendannelse skal bekræftes: tilføj --yes, når kommandoen ikke køres i en terminal.")
    where = ", ".join(str(path) for path in (stores.answers, stores.conversations) if path)
    answer = input(f"Gendan backuppen fra {_local_time(backup.created)} i stedet for de nuværende data ({where})?\n"
                   "De nuværende filer flyttes til side, intet slettes. Skriv 'ja' for at gendanne: ")
    return answer.strip().lower() == "ja"


def _restore_command(args) -> int:
    stores = Stores.configured()
    with tempfile.TemporaryDirectory(prefix="koege-restore-") as work:
        backup = extract(Path(args.file).expanduser(), Path(work))
        if args.check:
            print(f"Backuppen er i orden: {backup.path}, skrevet {_local_time(backup.created)}. Kontrolsummer og "
                  f"SQLites integritetstjek passer. Indhold: {describe(backup.manifest)}.")
            return 0
        refuse_postgresql(backup.files, stores)
        reasons = running_servers(stores)
        if reasons:
            raise BackupError("Assistenten ser ud til at køre: " + "; ".join(reasons) + ". Stop dens servere "
                              "først (make run: Ctrl-C; systemd: stop tjenesterne), og prøv igen. Bruger et andet "
                              "program en af portene, så sæt RASA_PORT, ACTION_PORT og WEB_PORT, som assistenten "
                              "bruger dem. Intet er gendannet.")
        if not args.yes and not _confirmed(backup, stores):
            print("Intet er gendannet.")
            return 1
        result = restore(backup, stores)
    print(f"Backuppen fra {_local_time(backup.created)} er gendannet: {describe(backup.manifest)}.")
    for name, path in result.restored.items():
        print(f"  {WHAT[name]}: {path}")
    for note in result.skipped:
        print(f"  Ikke gendannet: {note}.")
    head = _schema_head()
    if result.migrated_from and result.migrated_from != head:
        print(f"Svardatabasen er bragt fra skemaversion {result.migrated_from} til {head}, den nyeste.")
    if result.moved_aside:
        print("De hidtidige filer er flyttet til side (intet er slettet):")
        for path in result.moved_aside:
            print(f"  {path}")
        print("Slet dem, når de ikke skal bruges mere: de rummer personoplysninger, og retention rører dem ikke.")
    print("Start assistenten igen.")
    return 0


def _guarded(command):
    def run(args) -> int:
        try:
            return command(args)
        except BackupError as error:
            print(error.message, file=sys.stderr)
            return error.exit_code
        except sqlite3.Error as error:
            print(f"SQLite-fejl: {error}. Intet er ændret i de nuværende data.", file=sys.stderr)
            return 1
    return run


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def add_commands(commands) -> None:
    """Add ``backup`` and ``restore`` to the subcommands of ``python -m bot``."""
    backup = commands.add_parser(
        "backup", help="write a consistent backup of the answer store and the conversations (SQLite) to DIR, "
                       "keep the newest N")
    backup.add_argument("directory", metavar="DIR", help="where backups are kept, e.g. /var/backups/koege-assistant")
    backup.add_argument("--keep", type=_positive, default=DEFAULT_KEEP, metavar="N",
                        help=f"backups to keep in DIR (default {DEFAULT_KEEP}); none older than RETENTION_DAYS")
    backup.set_defaults(func=_guarded(_backup_command))
    restore_ = commands.add_parser(
        "restore", help="bring a backup back (the servers must be stopped); the current files are moved aside")
    restore_.add_argument("file", metavar="FILE", help=f"a backup file, {PREFIX}<time>{SUFFIX}")
    restore_.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore_.add_argument("--check", action="store_true", help="only verify the backup; restore nothing")
    restore_.set_defaults(func=_guarded(_restore_command))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.backup")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
