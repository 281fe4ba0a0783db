"""The systemd units in deploy/systemd/ (docs/operations.md, "Running on one Linux
server with systemd").

`systemd-analyze verify` reads them as systemd would. It also checks that every
command a unit runs exists and is executable, and the units name the install
location, /opt/koege-assistant: they are copied into a temporary folder with that
path rewritten to this checkout, whose .venv is what they would run. The rest of
the tests read the files: the properties the servers must have, the commands
compared with those `make run` starts (bot/services.py), and the settings file.
"""
import datetime
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List

import pytest

from bot.config import PROJECT_ROOT
from bot.services import BIN, assistant_services, web_service
from tests.project.environment import variables_the_code_reads
from tests.project.test_deploy_files import (READ_BY_LIBRARIES, READ_BY_PYTHON, SECRET_LOOKING_NAME,
                                             SECRET_VARIABLES, mentions)
from tests.project.test_docs import section, settings_table

UNITS = PROJECT_ROOT / "deploy" / "systemd"
ENVIRONMENT_EXAMPLE = UNITS / "environment.example"
OPERATIONS = PROJECT_ROOT / "docs" / "operations.md"
CI_RUN = PROJECT_ROOT / ".ci" / "run"

INSTALL_ROOT = "/opt/koege-assistant"
VENV_BIN = f"{INSTALL_ROOT}/.venv/bin"
ENVIRONMENT_FILE = "/etc/koege-assistant/environment"
STATE_DIRECTORY = "/var/lib/koege-assistant"
BACKUP_DIRECTORY = "/var/backups/koege-assistant"
RASA_FILES = "/run/koege-assistant-rasa"

TARGET = "koege-assistant.target"
PREPARE = "koege-assistant-prepare.service"
SERVERS = {
    "Rasa server": "koege-assistant-rasa.service",
    "action server": "koege-assistant-actions.service",
    "web app": "koege-assistant-web.service",
}
# Daily job -> the command line after `python -m bot`.
JOBS = {
    "retention": ["retention"],
    "backup": ["backup", BACKUP_DIRECTORY],
    "reviews": ["reviews"],
}
# Read by Python itself and the libraries that look in the home directory (Rasa's
# ~/.config/rasa, Keras' ~/.keras): the units point it at the state directory.
READ_BY_THE_SYSTEM = {"HOME"}

HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes",
    "ProtectControlGroups": "yes",
    "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
    "RestrictNamespaces": "yes",
    "LockPersonality": "yes",
    "UMask": "0077",
    # Beyond what the issue asks; the servers and the jobs work with each of them.
    "CapabilityBoundingSet": "",
    "ProtectClock": "yes",
    "ProtectHostname": "yes",
    "ProtectProc": "invisible",
    "RestrictRealtime": "yes",
    "RestrictSUIDSGID": "yes",
    "SystemCallArchitectures": "native",
    "SystemCallFilter": "@system-service",
    "SystemCallErrorNumber": "EPERM",
    "StateDirectoryMode": "0700",
}

Unit = Dict[str, Dict[str, List[str]]]


# --- reading unit files ----------------------------------------------------------

def parse(path: Path) -> Unit:
    """Sections of a unit file, each key with every value it is given, in order
    (Environment= and ExecStartPre= may repeat; an empty assignment is kept)."""
    sections: Unit = {}
    current = None
    continued = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = (continued + " " + raw.strip()).strip() if continued else raw.strip()
        continued = ""
        if not line or line.startswith(("#", ";")):
            continue
        if line.endswith("\\"):
            continued = line[:-1].rstrip()
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None and "=" in line, f"{path.name}: not a unit file line: {raw!r}"
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def unit(name: str) -> Unit:
    path = UNITS / name
    assert path.is_file(), f"deploy/systemd/{name} is missing"
    return parse(path)


def value(parsed: Unit, section: str, key: str) -> str:
    """The setting in force: the last assignment, as systemd reads it ("" when never set)."""
    return (parsed.get(section, {}).get(key) or [""])[-1]


def words(parsed: Unit, section: str, key: str) -> List[str]:
    """A list setting (Wants=, After=) given on one or several lines."""
    return [word for line in parsed.get(section, {}).get(key, []) for word in line.split()]


def environment(parsed: Unit) -> Dict[str, str]:
    found = {}
    for line in parsed["Service"].get("Environment", []):
        for assignment in shlex.split(line):
            name, _, setting = assignment.partition("=")
            found[name] = setting
    return found


def command(line: str, env: Dict[str, str]) -> List[str]:
    """A command line as systemd runs it: prefixes dropped, ${VAR} replaced from ``env``."""
    argv = shlex.split(line.lstrip("@-:+!"))
    return [re.sub(r"\$\{(\w+)\}", lambda match: env[match.group(1)], word) for word in argv]


def seconds(span: str) -> float:
    """A systemd time span such as 10s, 10min, 1h or 90 (seconds)."""
    units = {"": 1, "s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hr": 3600, "d": 86400}
    total = 0.0
    for number, unit_name in re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]*)", span):
        assert unit_name in units, f"unknown time unit in {span!r}"
        total += float(number) * units[unit_name]
    return total


def unit_files() -> List[Path]:
    return sorted(path for path in UNITS.iterdir() if path.suffix in (".service", ".timer", ".target"))


def services() -> List[str]:
    return [path.name for path in unit_files() if path.suffix == ".service"]


def timer_of(job: str) -> str:
    return f"koege-assistant-{job}.timer"


def service_of(job: str) -> str:
    return f"koege-assistant-{job}.service"


# --- systemd-analyze verify ------------------------------------------------------

def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    assert found, ("systemd-analyze was not found, so the units in deploy/systemd/ cannot be checked: "
                   "install systemd (apt-get install systemd; .ci/run does it).")
    return found


def copied_for_this_checkout(folder: Path) -> List[Path]:
    """The unit files with the install location rewritten to this checkout."""
    copies = []
    for path in unit_files():
        copy = folder / path.name
        copy.write_text(path.read_text(encoding="utf-8").replace(INSTALL_ROOT, str(PROJECT_ROOT)), encoding="utf-8")
        copies.append(copy)
    return copies


def verify(paths: List[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([systemd_analyze(), "verify", *map(str, paths)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "SYSTEMD_LOG_COLOR": "0", "SYSTEMD_PAGER": ""})


def complaints(result: subprocess.CompletedProcess, folder: Path) -> List[str]:
    """What verify says about our units (it may also talk about the machine's own)."""
    ours = [str(folder), "koege-assistant", INSTALL_ROOT]
    return [line for line in (result.stdout + result.stderr).splitlines() if any(name in line for name in ours)]


def test_systemd_analyze_verify_accepts_every_unit(tmp_path):
    result = verify(copied_for_this_checkout(tmp_path))
    said = complaints(result, tmp_path)
    assert result.returncode == 0 and not said, (
        f"systemd-analyze verify (exit code {result.returncode}):\n{result.stdout}{result.stderr}")


def test_verify_would_see_a_mistake(tmp_path):
    """A guard for the test above: verify, as called there, does report a bad key and a missing program."""
    copies = copied_for_this_checkout(tmp_path)
    web = tmp_path / SERVERS["web app"]
    web.write_text(web.read_text(encoding="utf-8").replace("Restart=on-failure", "Restart=sometimes")
                   .replace(".venv/bin/python", ".venv/bin/no-such-python"), encoding="utf-8")
    said = "\n".join(complaints(verify(copies), tmp_path))
    assert "sometimes" in said and "no-such-python" in said, said


def test_every_server_and_job_runs_the_installed_checkouts_venv():
    """Installed at /opt/koege-assistant with its .venv (docs/operations.md)."""
    for path in unit_files():
        parsed = parse(path)
        for line in parsed.get("Service", {}).get("ExecStart", []):
            program = command(line, environment(parsed))[0]
            assert program.startswith(f"{VENV_BIN}/"), f"{path.name} runs {program}, not the project's .venv"


# --- the servers -------------------------------------------------------------------

@pytest.mark.parametrize("name", SERVERS.values())
def test_a_server_that_fails_is_restarted_but_not_for_ever(name):
    parsed = unit(name)
    assert value(parsed, "Service", "Restart") == "on-failure"
    restart_sec = seconds(value(parsed, "Service", "RestartSec"))
    interval = seconds(value(parsed, "Unit", "StartLimitIntervalSec"))
    burst = int(value(parsed, "Unit", "StartLimitBurst") or 0)
    assert 1 <= restart_sec <= 60, "RestartSec: a pause before each restart, not a tight loop"
    assert burst >= 3, "StartLimitBurst: a few attempts before giving up"
    # Restarts come at least RestartSec apart: with a shorter interval the limit could never be reached.
    assert interval > burst * restart_sec, "StartLimitIntervalSec must be longer than StartLimitBurst × RestartSec"
    assert value(parsed, "Service", "Type") in ("exec", "simple")


@pytest.mark.parametrize("name", SERVERS.values())
def test_a_server_is_part_of_the_target_and_waits_only_for_the_answer_store(name):
    parsed = unit(name)
    assert TARGET in words(parsed, "Unit", "PartOf")
    assert PREPARE in words(parsed, "Unit", "Wants") and PREPARE in words(parsed, "Unit", "After")
    # Nothing waits for the Rasa server: the action server and the web app work without it.
    assert SERVERS["Rasa server"] not in words(parsed, "Unit", "After") + words(parsed, "Unit", "Requires")


def test_the_rasa_server_starts_after_the_action_server():
    assert SERVERS["action server"] in words(unit(SERVERS["Rasa server"]), "Unit", "After")


def test_the_target_starts_every_part_and_starts_at_boot():
    target = unit(TARGET)
    wanted = set(words(target, "Unit", "Wants"))
    expected = {PREPARE, *SERVERS.values(), *(timer_of(job) for job in JOBS)}
    assert expected <= wanted, f"{TARGET} does not want {sorted(expected - wanted)}"
    assert "multi-user.target" in words(target, "Install", "WantedBy")
    for name in [PREPARE, *(timer_of(job) for job in JOBS)]:
        assert TARGET in words(unit(name), "Unit", "PartOf"), name


@pytest.mark.parametrize("name", services())
def test_every_service_runs_as_koege_in_a_sandbox(name):
    parsed = unit(name)
    service = parsed["Service"]
    assert value(parsed, "Service", "User") == "koege" and value(parsed, "Service", "Group") == "koege"
    assert "DynamicUser" not in service, "state must persist: a fixed user, not DynamicUser="
    assert value(parsed, "Service", "EnvironmentFile") == ENVIRONMENT_FILE
    assert value(parsed, "Service", "StateDirectory") == "koege-assistant"
    assert value(parsed, "Service", "WorkingDirectory") == INSTALL_ROOT
    wrong = {key: value(parsed, "Service", key) for key, setting in HARDENING.items()
             if value(parsed, "Service", key) != setting or key not in service}
    assert not wrong, f"{name}: hardening settings missing or different: {wrong}"
    env = environment(parsed)
    assert env["DATA_DIR"] == STATE_DIRECTORY and env["SMS_DATA_DIR"].startswith(STATE_DIRECTORY + "/")
    assert env["HOME"] == STATE_DIRECTORY, "Rasa and Keras write below HOME; it must be writable"
    # Writable beyond the state directory only where a job must write (the backups).
    expected = ["-" + BACKUP_DIRECTORY] if name == service_of("backup") else []
    assert service.get("ReadWritePaths", []) == expected


@pytest.mark.parametrize("name", services())
def test_memory_deny_write_execute_is_on_or_explained(name):
    path = UNITS / name
    parsed = parse(path)
    if value(parsed, "Service", "MemoryDenyWriteExecute") == "yes":
        return
    assert re.search(r"^# No MemoryDenyWriteExecute=: \S", path.read_text(encoding="utf-8"), re.MULTILINE), (
        f"{name}: MemoryDenyWriteExecute=yes, or a comment '# No MemoryDenyWriteExecute=: <why>'")


@pytest.mark.parametrize("name", services())
def test_logs_go_to_the_journal(name):
    parsed = unit(name)
    for key in ("StandardOutput", "StandardError"):
        assert value(parsed, "Service", key) in ("", "journal"), f"{name}: {key}= must be the journal"
    for line in parsed["Service"].get("ExecStart", []):
        assert "--log-file" not in line, name


def test_the_servers_run_what_make_run_starts(tmp_path):
    """The same programs and arguments as bot/services.py gives `make run`; only the
    model file and the two files the Rasa server reads are at their installed places."""
    started = {service.name: service.command for service in assistant_services(work_dir=tmp_path / "run")}
    started["web app"] = web_service().command
    placed = {"--model": f"{INSTALL_ROOT}/models/koege.tar.gz",
              "--credentials": f"{RASA_FILES}/credentials.yml",
              "--endpoints": f"{RASA_FILES}/endpoints.yml"}
    for server, name in SERVERS.items():
        parsed = unit(name)
        argv = command(value(parsed, "Service", "ExecStart"), environment(parsed))
        expected = [word.replace(str(BIN), VENV_BIN) for word in started[server]]
        for option, installed in placed.items():
            if option in expected:
                expected[expected.index(option) + 1] = installed
        assert argv == expected, f"{name} runs {argv}, `make run` {expected}"


def test_the_rasa_server_is_started_with_files_written_just_before(tmp_path):
    """Its ExecStartPre= writes the credentials and endpoints its ExecStart= reads, into
    its RuntimeDirectory=, with the same text `make run` writes for the same settings."""
    parsed = unit(SERVERS["Rasa server"])
    assert value(parsed, "Service", "RuntimeDirectory") == Path(RASA_FILES).name
    env = environment(parsed)
    (pre,) = parsed["Service"]["ExecStartPre"]
    argv = command(pre, env)
    assert argv[:3] == [f"{VENV_BIN}/python", "-m", "bot.prepare"] and argv[3:] == ["--rasa-files", RASA_FILES]

    here = {INSTALL_ROOT: str(PROJECT_ROOT), RASA_FILES: str(tmp_path / "run")}

    def local(word: str) -> str:
        for installed, local_path in here.items():
            word = word.replace(installed, local_path)
        return word

    settings = {"DATA_DIR": str(tmp_path / "state"), "SMS_DATA_DIR": str(tmp_path / "state" / "sms"),
                "DATABASE_URL": "", "TRACKER_DATABASE_URL": "", "ACTION_SERVER_URL": "",
                "ACTION_PORT": env["ACTION_PORT"], "LOCK_STORE_URL": "redis://localhost:6379/0",
                "GATEWAYAPI_TOKEN": "t", "GATEWAYAPI_WEBHOOK_SECRET": "s"}
    result = subprocess.run([local(word) for word in argv], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            env={**os.environ, **settings}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Svardatabasen er klar" in result.stdout
    assert (tmp_path / "state" / "answers.db").is_file()

    started = command(value(parsed, "Service", "ExecStart"), env)
    made_by_make_run = tmp_path / "make-run"
    rasa = next(service for service in assistant_services(action_port=int(env["ACTION_PORT"]),
                                                          work_dir=made_by_make_run, env=settings)
                if service.name == "Rasa server")
    for option in ("--credentials", "--endpoints"):
        written = Path(local(started[started.index(option) + 1]))
        assert written.is_file(), f"{option} {written} was not written by {pre}"
        expected = Path(rasa.command[rasa.command.index(option) + 1]).read_text(encoding="utf-8")
        assert written.read_text(encoding="utf-8") == expected, option


def test_the_answer_store_is_prepared_once_before_the_servers():
    parsed = unit(PREPARE)
    assert value(parsed, "Service", "Type") == "oneshot" and value(parsed, "Service", "RemainAfterExit") == "yes"
    argv = command(value(parsed, "Service", "ExecStart"), environment(parsed))
    assert argv == [f"{VENV_BIN}/python", "-m", "bot.prepare"]


# --- the daily jobs ------------------------------------------------------------------

def next_runs(calendar: str) -> List[datetime.datetime]:
    result = subprocess.run([systemd_analyze(), "calendar", "--iterations=2", calendar],
                            capture_output=True, text=True, timeout=30, env={**os.environ, "TZ": "UTC"})
    assert result.returncode == 0, result.stderr
    stamps = dict.fromkeys(re.findall(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", result.stdout))
    return [datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S") for stamp in stamps]


@pytest.mark.parametrize("job", JOBS)
def test_a_daily_timer_starts_each_job(job):
    timer = unit(timer_of(job))
    assert value(timer, "Timer", "Unit") in ("", service_of(job))
    assert value(timer, "Timer", "Persistent") == "yes", "a run missed while the server was off must happen at boot"
    first, second = next_runs(value(timer, "Timer", "OnCalendar"))
    assert second - first == datetime.timedelta(days=1)

    service = unit(service_of(job))
    assert value(service, "Service", "Type") == "oneshot"
    argv = command(value(service, "Service", "ExecStart"), environment(service))
    assert argv == [f"{VENV_BIN}/python", "-m", "bot", *JOBS[job]]
    assert PREPARE in words(service, "Unit", "After")
    assert seconds(value(service, "Service", "TimeoutStartSec")) > 0, "a job that hangs must end"


def test_the_backup_runs_after_the_retention():
    """So a backup never holds what the day's retention deletes."""
    def time_of_day(job):
        return value(unit(timer_of(job)), "Timer", "OnCalendar").split()[-1]

    delay = seconds(value(unit(timer_of("retention")), "Timer", "RandomizedDelaySec"))
    retention = datetime.datetime.strptime(time_of_day("retention"), "%H:%M:%S")
    backup = datetime.datetime.strptime(time_of_day("backup"), "%H:%M:%S")
    assert backup - retention > datetime.timedelta(seconds=delay)


# --- settings ---------------------------------------------------------------------------

def example_settings() -> Dict[str, str]:
    """VAR -> value of every line of environment.example, commented out or not."""
    found = {}
    for line in ENVIRONMENT_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"(#?)([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            found[match.group(2)] = None if match.group(1) else match.group(3)
    return found


def test_the_example_settings_list_every_documented_setting():
    listed, documented = set(example_settings()), settings_table()
    assert listed == documented, (f"environment.example lacks {sorted(documented - listed)} and lists "
                                  f"{sorted(listed - documented)}, unlike docs/operations.md's settings table")


def test_the_example_settings_hold_no_secret():
    for name, setting in example_settings().items():
        if name in SECRET_VARIABLES or SECRET_LOOKING_NAME.search(name):
            assert not setting, f"environment.example sets {name}: a secret belongs only in /etc/koege-assistant"


def test_the_example_settings_keep_the_data_where_the_units_may_write():
    settings = example_settings()
    for name in ("DATA_DIR", "SMS_DATA_DIR"):
        assert settings[name] and (settings[name] + "/").startswith(STATE_DIRECTORY + "/"), name


def test_every_variable_the_units_set_is_read_by_something():
    ours = variables_the_code_reads()
    unknown = {}
    for name in services():
        for variable in environment(unit(name)):
            if variable in ours or variable in READ_BY_PYTHON or variable in READ_BY_THE_SYSTEM:
                continue
            package = READ_BY_LIBRARIES.get(variable)
            if not (package and mentions(package, variable)):
                unknown.setdefault(variable, []).append(name)
    assert not unknown, f"set in deploy/systemd/ but read by nothing: {unknown}"


# --- docs and CI ------------------------------------------------------------------------

def test_the_operations_guide_names_every_unit():
    text = section(OPERATIONS.read_text(encoding="utf-8"), "Running on one Linux server with systemd")
    missing = [path.name for path in [*unit_files(), ENVIRONMENT_EXAMPLE] if path.name not in text]
    assert not missing, f"docs/operations.md, 'Running on one Linux server with systemd', does not name {missing}"
    for step in ("useradd", "make setup train", ENVIRONMENT_FILE, "systemctl daemon-reload",
                 f"systemctl enable --now {TARGET}", "journalctl -u", "NRestarts"):
        assert step in text, f"docs/operations.md's systemd section lacks {step!r}"


def test_ci_installs_systemd_analyze():
    assert "command -v systemd-analyze >/dev/null || missing+=(systemd)" in CI_RUN.read_text(encoding="utf-8")

