"""The Kubernetes deployment in deploy/ stays true to the code.

Parses every YAML file there, renders the endpoints and credentials the `rasa`
chart would write from our values (the same keys, the same "every key but
`enabled`" rule as its templates/config-map.yaml, Helm's rule that `null`
removes a default key), loads them with Rasa's own readers, and checks that
no secret is written literally and that every environment variable the files
set is one the code (ours, or Rasa's) reads, and is documented.
"""
import copy
import importlib.util
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set, Tuple

import pytest
import yaml

from bot.config import PROJECT_ROOT, SMS_CHANNELS
from tests.project.environment import variables_the_code_reads

DEPLOY = PROJECT_ROOT / "deploy"
VALUES_RASA = DEPLOY / "values-rasa.yml"
VALUES_SMS = DEPLOY / "values-rasa-sms.yml"
VALUES_ACTIONS = DEPLOY / "values-action-server.yml"
DOCKERFILE = DEPLOY / "Dockerfile"
CONVERSATION_STORE = "bot.rasa_server.conversation_store.ConversationStore"

# The defaults of the sections we override, from RasaHQ/helm-charts
# charts/rasa/values.yaml of chart 1.17.3 (commit 27796d7f).
CHART_DEFAULTS = {
    "applicationSettings": {
        "endpoints": {
            "trackerStore": {
                "enabled": True, "type": "sql", "dialect": "postgresql", "url": "${DB_HOST}",
                "port": "${DB_PORT}", "username": "${DB_USER}", "password": "${DB_PASSWORD}",
                "db": "${DB_DATABASE}", "login_db": "${DB_DATABASE}",
            },
            "lockStore": {
                "enabled": False, "type": "redis", "url": "${REDIS_HOST}", "port": "${REDIS_PORT}",
                "password": "${REDIS_PASSWORD}", "db": "1",
            },
        },
        "credentials": {"enabled": True, "additionalChannelCredentials": {}},
    },
    "rasa-action-server": {"install": False, "external": {"enabled": False, "url": ""}},
    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
}
# Set by the chart itself in the Rasa container (templates/_containers-env.yaml).
SET_BY_CHART = {"ACTION_SERVER_URL"}

# Read by Rasa or a library it runs, not by our code: name -> package whose
# installed source must mention it (checked below, so this list cannot rot).
READ_BY_LIBRARIES = {
    "SANIC_WORKERS": "rasa",  # rasa/core/utils.py number_of_sanic_workers
    "TICKET_LOCK_LIFETIME": "rasa",  # rasa/core/lock_store.py
    "RASA_TELEMETRY_ENABLED": "rasa",  # rasa/telemetry.py
    "TF_CPP_MIN_LOG_LEVEL": "rasa",  # rasa/utils/common.py
    "SQLALCHEMY_SILENCE_UBER_WARNING": "sqlalchemy",
}
READ_BY_PYTHON = {"PYTHONPATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}

# Values that must come from a Kubernetes secret, never be written in a file.
# The one image that is not ours: PostgreSQL's client tools (pg_dump) in deploy/backup-cronjob.yml.
PG_CLIENT_IMAGE = re.compile(r"^postgres:\d+(\.\d+)?(-[a-z0-9]+)?$")
SECRET_VARIABLES = {
    "DATABASE_URL", "TRACKER_DATABASE_URL", "PRIVACY_KEY", "LOCK_STORE_URL", "LOCK_STORE_PASSWORD",
    "GATEWAYAPI_TOKEN", "GATEWAYAPI_WEBHOOK_SECRET", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
}
SECRET_LOOKING_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|KEY$|DATABASE_URL|_SID$")
SECRET_LOOKING_KEY = re.compile(r"password|secret|token|_sid", re.IGNORECASE)
PASSWORD_IN_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]*:[^@\s/]+@", re.IGNORECASE)
ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


# --- reading the files ---------------------------------------------------------

def yaml_files() -> List[Path]:
    return sorted(DEPLOY.glob("*.yml")) + sorted(DEPLOY.glob("*.yaml"))


def documents(path: Path) -> List[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def load(path: Path) -> Dict[str, Any]:
    (doc,) = documents(path)
    return doc


def env_entries(node: Any) -> Iterator[Dict[str, Any]]:
    """Every container environment entry in a manifest or values file
    (`env:` of containers, `extraEnv:` of the charts)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("env", "extraEnv") and isinstance(value, list):
                yield from (entry for entry in value if isinstance(entry, dict) and "name" in entry)
            else:
                yield from env_entries(value)
    elif isinstance(node, list):
        for item in node:
            yield from env_entries(item)


def dockerfile_env() -> Dict[str, str]:
    """ENV NAME=value pairs of the Dockerfile (continuation lines joined)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found = {}
    for line in text.splitlines():
        if line.strip().startswith("ENV "):
            found.update(dict(re.findall(r"([A-Z][A-Z0-9_]*)=(\S+)", line)))
    return found


def variables_set() -> Dict[str, List[str]]:
    """Variable name -> the files that set it."""
    names: Dict[str, List[str]] = {}
    for path in yaml_files():
        for doc in documents(path):
            for entry in env_entries(doc):
                names.setdefault(entry["name"], []).append(path.name)
    for name in dockerfile_env():
        names.setdefault(name, []).append(DOCKERFILE.name)
    return names


# --- what the chart makes of our values ---------------------------------------

def merged(base: Any, override: Any) -> Any:
    """Several -f files: later ones win, maps are merged, lists replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        result = dict(base)
        for key, value in override.items():
            result[key] = merged(base[key], value) if key in base else copy.deepcopy(value)
        return result
    return copy.deepcopy(override)


def coalesced(defaults: Any, values: Any) -> Any:
    """Helm's merge of user values onto a chart's defaults: `null` deletes a default key."""
    if not (isinstance(defaults, dict) and isinstance(values, dict)):
        return copy.deepcopy(values)
    result = copy.deepcopy(defaults)
    for key, value in values.items():
        if value is None and key in defaults:
            del result[key]
        else:
            result[key] = coalesced(defaults.get(key), value)
    return result


def chart_values(*paths: Path) -> Dict[str, Any]:
    user: Dict[str, Any] = {}
    for path in paths:
        user = merged(user, load(path))
    return coalesced(CHART_DEFAULTS, user)


def rendered_endpoints(values: Dict[str, Any]) -> str:
    """endpoints.yml as the chart's templates/config-map.yaml writes it:
    `key: value` for every key but `enabled`, unquoted."""
    endpoints = values["applicationSettings"]["endpoints"]
    lines = []
    for section, name in (("trackerStore", "tracker_store"), ("lockStore", "lock_store")):
        settings = endpoints.get(section, {})
        if settings.get("enabled"):
            lines.append(f"{name}:")
            lines += [f"  {key}: {value}" for key, value in settings.items() if key != "enabled"]
    action_server, external = values["rasa-action-server"], values["rasa-action-server"]["external"]
    if action_server.get("install") or (external.get("enabled") and external.get("url")):
        lines += ["action_endpoint:", "  url: ${ACTION_SERVER_URL}"]
    return "\n".join(lines) + "\n"


def rendered_credentials(values: Dict[str, Any]) -> str:
    credentials = values["applicationSettings"]["credentials"]
    assert credentials.get("enabled"), "the channels' credentials must be written"
    return yaml.safe_dump(credentials.get("additionalChannelCredentials") or {}, sort_keys=False)


def env_of(path: Path) -> Dict[str, Dict[str, Any]]:
    return {entry["name"]: entry for entry in load(path).get("extraEnv", [])}


def read_with_rasa(text: str, tmp_path: Path, monkeypatch, env: Dict[str, str]) -> Dict[str, Any]:
    from rasa.shared.utils.io import read_config_file

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "rendered.yml"
    path.write_text(text, encoding="utf-8")
    return read_config_file(path)


# --- the tests -----------------------------------------------------------------

def test_every_deploy_file_is_valid_yaml():
    expected = {"values-rasa.yml", "values-rasa-sms.yml", "values-action-server.yml", "web-app.yml",
                "answer-store-job.yml", "retention-cronjob.yml", "sms-volume.yml"}
    assert expected <= {path.name for path in yaml_files()}
    for path in yaml_files():
        docs = documents(path)
        assert docs, f"{path.name} is empty"
        assert all(isinstance(doc, dict) for doc in docs), path.name


def test_manifests_are_kubernetes_objects():
    for path in yaml_files():
        if path.name.startswith("values-"):
            continue
        for doc in documents(path):
            assert doc.get("apiVersion") and doc.get("kind") and doc.get("metadata", {}).get("name"), path.name
    kinds = [doc["kind"] for doc in documents(DEPLOY / "web-app.yml")]
    assert {"Deployment", "Service"} <= set(kinds)


@pytest.mark.parametrize("files", [(VALUES_RASA,), (VALUES_RASA, VALUES_SMS)], ids=["koege", "koege-sms"])
def test_rasa_endpoints_have_our_conversation_store_and_a_redis_lock_store(files, tmp_path, monkeypatch):
    values = chart_values(*files)
    password = "not-a-real-password"
    endpoints = read_with_rasa(rendered_endpoints(values), tmp_path, monkeypatch,
                               {"LOCK_STORE_PASSWORD": password, "ACTION_SERVER_URL": "http://actions/webhook"})

    # Only `type`: the store then reads TRACKER_DATABASE_URL itself, as with endpoints.yml.
    assert endpoints["tracker_store"] == {"type": CONVERSATION_STORE}
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.utils.common import class_from_module_path
    from rasa.utils.endpoints import EndpointConfig

    assert issubclass(class_from_module_path(endpoints["tracker_store"]["type"]), SQLTrackerStore)
    store = EndpointConfig.from_dict(endpoints["tracker_store"])
    assert store.url is None and store.kwargs == {}  # what Rasa hands the class besides domain/broker

    lock = endpoints["lock_store"]
    assert lock["type"] == "bot.rasa_server.lock_store.RedisLockStore"
    assert lock["password"] == password  # ${LOCK_STORE_PASSWORD}, expanded by Rasa
    assert "action_endpoint" in endpoints


def test_the_lock_store_is_what_lock_store_url_gives_make_run(tmp_path, monkeypatch):
    """The same Redis settings bot/services.py writes for LOCK_STORE_URL."""
    from bot.services import lock_store_section

    lock = chart_values(VALUES_RASA)["applicationSettings"]["endpoints"]["lockStore"]
    url = f"{'rediss' if lock.get('use_ssl') else 'redis'}://{lock['url']}:{lock['port']}/{lock['db']}"
    ours = yaml.safe_load(lock_store_section({"LOCK_STORE_URL": url, "LOCK_STORE_PASSWORD": "x"}))["lock_store"]
    chart = yaml.safe_load(rendered_endpoints(chart_values(VALUES_RASA)))["lock_store"]
    assert chart == ours


def test_rasa_accepts_the_lock_store_and_several_workers(tmp_path, monkeypatch):
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.core.utils import number_of_sanic_workers
    from rasa.utils.endpoints import EndpointConfig

    endpoints = read_with_rasa(rendered_endpoints(chart_values(VALUES_RASA)), tmp_path, monkeypatch,
                               {"LOCK_STORE_PASSWORD": "x", "ACTION_SERVER_URL": "http://actions/webhook"})
    config = EndpointConfig.from_dict(endpoints["lock_store"])
    store = LockStore.create(config)  # redis-py connects lazily: nothing is contacted
    assert isinstance(store, RedisLockStore)
    assert store.key_prefix == "koege:lock:"
    monkeypatch.setenv("SANIC_WORKERS", "2")
    assert number_of_sanic_workers(config) == 2  # refused with Rasa's in-memory lock store


def test_several_rasa_replicas_are_safe_only_with_the_lock_store_and_one_key():
    values = chart_values(VALUES_RASA)
    assert values["replicaCount"] > 1
    assert values["applicationSettings"]["endpoints"]["lockStore"]["enabled"]
    for path in (VALUES_RASA, VALUES_SMS, VALUES_ACTIONS):
        assert "secretKeyRef" in env_of(path)["PRIVACY_KEY"]["valueFrom"], path.name


def test_the_model_and_the_action_server_are_ours():
    values = chart_values(VALUES_RASA)
    assert values["applicationSettings"]["initialModel"] == ""  # the chart's default downloads a demo model
    assert not values["applicationSettings"]["trainInitialModel"]
    assert not values["applicationSettings"]["rasaX"]["enabled"]
    args = values["args"]
    assert values["command"] == ["python", "-m", "bot.rasa_server"] and args[0] == "run"
    assert "--enable-api" not in args
    model = args[args.index("--model") + 1]
    assert f"COPY models/koege.tar.gz {model.removeprefix('/app/')}" in DOCKERFILE.read_text(encoding="utf-8")
    # The chart mounts its endpoints.yml and credentials.yml here (templates/_containers-volumes.yaml).
    assert args[args.index("--endpoints") + 1] == "/app/endpoints.yml"
    assert args[args.index("--credentials") + 1] == "/app/credentials.yml"

    actions = load(VALUES_ACTIONS)
    url = values["rasa-action-server"]["external"]["url"]
    assert url == f"http://{actions['fullnameOverride']}:{actions['service']['port']}/webhook"
    assert actions["args"][:2] == ["run", "actions"] and actions["command"] == ["rasa"]
    assert str(actions["applicationSettings"]["port"]) in actions["args"]


def test_credentials_hold_references_only(tmp_path, monkeypatch):
    for files in ((VALUES_RASA,), (VALUES_RASA, VALUES_SMS)):
        values = chart_values(*files)
        text = rendered_credentials(values)
        provided = set(env_of(files[-1])) | SET_BY_CHART
        for name in ENV_REFERENCE.findall(text + rendered_endpoints(values)):
            assert name in provided, f"${{{name}}} is used but not set in {files[-1].name}"
        credentials = read_with_rasa(text, tmp_path, monkeypatch, {name: "x" for name in ENV_REFERENCE.findall(text)})
        assert {"rest", "socketio"} <= set(credentials)
        assert credentials["socketio"]["session_persistence"] is True
        assert "${" not in yaml.safe_dump(credentials)  # written plain, so Rasa expanded every reference
        for channel, written in (yaml.safe_load(text) or {}).items():  # as written, before expansion
            for key, value in (written or {}).items():
                if SECRET_LOOKING_KEY.search(key):
                    assert ENV_REFERENCE.fullmatch(str(value)), f"{channel}.{key} must be a ${{VAR}} reference"
    sms = chart_values(VALUES_RASA, VALUES_SMS)["applicationSettings"]["credentials"]["additionalChannelCredentials"]
    gatewayapi = next(channel for channel in SMS_CHANNELS if channel.channel_class.endswith("GatewayApiInput"))
    assert sms[gatewayapi.channel_class] == {key: f"${{{name}}}" for key, name in gatewayapi.keys.items()
                                             if key in sms[gatewayapi.channel_class]}
    assert set(gatewayapi.required) <= set(env_of(VALUES_SMS))


def test_no_secret_is_written_in_a_file():
    for path in yaml_files():
        text = path.read_text(encoding="utf-8")
        assert not PASSWORD_IN_URL.search(text), f"{path.name} holds a URL with a password"
        for doc in documents(path):
            for entry in env_entries(doc):
                name = entry["name"]
                if name in SECRET_VARIABLES or SECRET_LOOKING_NAME.search(name):
                    assert "value" not in entry, f"{name} is written in {path.name}: use a secretKeyRef"
                    assert "secretKeyRef" in entry.get("valueFrom", {}), f"{name} in {path.name}"
    lock = chart_values(VALUES_RASA)["applicationSettings"]["endpoints"]["lockStore"]
    assert lock["password"] == "${LOCK_STORE_PASSWORD}"
    for name in dockerfile_env():
        assert name not in SECRET_VARIABLES and not SECRET_LOOKING_NAME.search(name), name
    assert not PASSWORD_IN_URL.search(DOCKERFILE.read_text(encoding="utf-8"))


def test_every_variable_the_deploy_files_set_is_read_by_the_code():
    ours = variables_the_code_reads()
    unknown = {}
    for name, files in variables_set().items():
        if name in ours or name in READ_BY_PYTHON:
            continue
        package = READ_BY_LIBRARIES.get(name)
        if package and mentions(package, name):
            continue
        unknown[name] = files
    assert not unknown, f"set in deploy/ but read by nothing: {unknown}"


def mentions(package: str, name: str) -> bool:
    spec = importlib.util.find_spec(package)
    root = Path(next(iter(spec.submodule_search_locations)))
    return any(name in path.read_text(encoding="utf-8", errors="ignore") for path in root.rglob("*.py"))


def test_every_variable_the_deploy_files_set_is_documented():
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    missing = sorted(name for name in variables_set() if f"`{name}`" not in readme and name not in READ_BY_PYTHON)
    assert not missing, f"deploy/README.md does not mention {missing}"


def test_settings_that_must_agree_do():
    """One image of ours everywhere (and PostgreSQL's for pg_dump); RETENTION_DAYS the same where it is said and where it is done."""
    images: Set[str] = set()
    retention: Set[Tuple[str, str]] = set()
    for path in yaml_files():
        for doc in documents(path):
            for image in images_in(doc):
                images.add(f"{image['repository']}:{image['tag']}" if isinstance(image, dict) else image)
            for entry in env_entries(doc):
                if entry["name"] == "RETENTION_DAYS":
                    retention.add((entry["value"], path.name))
    assert len({image for image in images if not PG_CLIENT_IMAGE.match(image)}) == 1, images
    assert len({value for value, _ in retention}) == 1, retention

    # The SMS release replaces extraEnv (Helm replaces lists): it must keep every base entry.
    base, sms = env_of(VALUES_RASA), env_of(VALUES_SMS)
    for name, entry in base.items():
        assert sms.get(name) == entry, f"values-rasa-sms.yml lost or changed {name}"

    web = {entry["name"]: entry for entry in env_entries(documents(DEPLOY / "web-app.yml")[0])}
    rasa = chart_values(VALUES_RASA)
    assert web["WIDGET_SERVER_URL"]["value"] == f"https://{rasa['ingress']['hostname']}"
    ingress = next(doc for doc in documents(DEPLOY / "web-app.yml") if doc["kind"] == "Ingress")
    web_host = ingress["spec"]["rules"][0]["host"]
    assert f"https://{web_host}" in rasa["args"]  # the demo page may use socket.io's polling handshake


def images_in(node: Any) -> Iterator[Any]:
    """Container images: `image: name:tag` in manifests, `image: {repository, tag}` in chart values."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "image" and (isinstance(value, str) or isinstance(value, dict) and "repository" in value):
                yield value
            else:
                yield from images_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from images_in(item)


def test_the_sms_release_keeps_one_writer():
    values = chart_values(VALUES_RASA, VALUES_SMS)
    assert values["replicaCount"] == 1
    assert values["strategy"] == {"type": "Recreate"}
    mounted = {mount["mountPath"] for mount in values["volumeMounts"]}
    assert env_of(VALUES_SMS)["SMS_DATA_DIR"]["value"] in mounted
    claim = values["volumes"][0]["persistentVolumeClaim"]["claimName"]
    assert claim == load(DEPLOY / "sms-volume.yml")["metadata"]["name"]


def test_the_dockerfile_builds_what_make_setup_builds():
    text = DOCKERFILE.read_text(encoding="utf-8")
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    spacy_dir = next(step["model"] for step in config["pipeline"] if step["name"] == "SpacyNLP")

    assert re.search(r"^FROM python:3\.10-slim\s*$", text, re.MULTILINE)
    assert "pip install --no-cache-dir -c requirements.lock ." in text
    assert f"python -m bot.nlp.spacy_model {spacy_dir}" in text
    assert re.search(rf"^SPACY_DIR\s*:=\s*{re.escape(spacy_dir)}\s*$", makefile, re.MULTILINE)
    assert "$(PY) -m bot.nlp.spacy_model $(SPACY_DIR)" in makefile
    assert "WORKDIR /app" in text  # config.yml's spaCy path is relative to it
    # The web app serves node_modules/socket.io-client (bot/web/app.py) from beside the package.
    assert "COPY --from=widget /build/node_modules/ node_modules/" in text
    assert dockerfile_env()["PYTHONPATH"] == "/app"
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("0", "root")
    for values in (VALUES_RASA, VALUES_ACTIONS):
        assert load(values)["podSecurityContext"]["runAsUser"] == int(users[-1].split(":")[0])
