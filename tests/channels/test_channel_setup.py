"""The SMS channels are switched on by their environment variables, and only then."""
import jwt
import pytest
import rasa.shared.utils.io

from bot.channels.gatewayapi import GatewayApiInput, verified_claims, without_keyword
from bot.channels.twilio_sms import TwilioSmsInput
from bot.config import PROJECT_ROOT
from bot.services import credentials_file

GATEWAYAPI = {"GATEWAYAPI_TOKEN": "token-123", "GATEWAYAPI_WEBHOOK_SECRET": "secret-456"}
ALWAYS = {"rest", "socketio", "bot.rasa_server.readiness.ReadinessInput"}  # the last: GET /webhooks/ready/
TWILIO = {"TWILIO_ACCOUNT_SID": "AC789", "TWILIO_AUTH_TOKEN": "auth-000", "TWILIO_NUMBER": "+4570000000"}


def channels_in(path):
    return set(rasa.shared.utils.io.read_yaml_file(str(path)) or {})


def test_without_sms_settings_the_credentials_are_the_repository_file(tmp_path):
    path = credentials_file(tmp_path, {})
    assert path.read_text() == (PROJECT_ROOT / "credentials.yml").read_text().rstrip("\n") + "\n"
    assert channels_in(path) == ALWAYS


@pytest.mark.parametrize(
    "env, added",
    [
        (GATEWAYAPI, {"bot.channels.gatewayapi.GatewayApiInput"}),
        (TWILIO, {"bot.channels.twilio_sms.TwilioSmsInput"}),
        ({**GATEWAYAPI, **TWILIO}, {"bot.channels.gatewayapi.GatewayApiInput", "bot.channels.twilio_sms.TwilioSmsInput"}),
        ({"GATEWAYAPI_TOKEN": "token-123"}, set()),  # no webhook secret: never unsigned
        ({k: v for k, v in TWILIO.items() if k != "TWILIO_AUTH_TOKEN"}, set()),
    ],
)
def test_a_channel_is_added_when_its_secrets_are_set(tmp_path, monkeypatch, env, added):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = credentials_file(tmp_path, env)
    assert channels_in(path) == ALWAYS | added


def test_no_secret_is_written_to_disk_and_rasa_reads_them_from_the_environment(tmp_path, monkeypatch):
    env = {**GATEWAYAPI, "GATEWAYAPI_URL": "http://127.0.0.1:9"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = credentials_file(tmp_path, env)
    assert "token-123" not in path.read_text() and "secret-456" not in path.read_text()
    section = rasa.shared.utils.io.read_config_file(str(path))["bot.channels.gatewayapi.GatewayApiInput"]
    assert section == {"token": "token-123", "webhook_secret": "secret-456", "url": "http://127.0.0.1:9"}
    channel = GatewayApiInput.from_credentials(section)
    assert (channel.token, channel.webhook_secret, channel.sender) == ("token-123", "secret-456", None)


@pytest.mark.parametrize("channel", [GatewayApiInput, TwilioSmsInput])
def test_a_channel_without_credentials_refuses_to_start(channel):
    with pytest.raises(Exception, match="credentials"):
        channel.from_credentials({})


SECRET = "x" * 64
CLAIMS = {"id": 1, "msisdn": 4512345678, "message": "hej"}


@pytest.mark.parametrize(
    "token, valid",
    [
        (jwt.encode(CLAIMS, SECRET, algorithm="HS256"), True),
        (jwt.encode(CLAIMS, "y" * 64, algorithm="HS256"), False),
        (jwt.encode(CLAIMS, SECRET, algorithm="HS512"), False),  # only HS256 is accepted
        (jwt.encode(CLAIMS, None, algorithm="none"), False),
        ("", False),
        (None, False),
        ("a.b.c", False),
    ],
)
def test_only_a_jwt_signed_with_the_shared_secret_is_accepted(token, valid):
    assert (verified_claims(token, SECRET) == CLAIMS) is valid
    assert (verified_claims(token, SECRET) is None) is not valid


@pytest.mark.parametrize(
    "text, keyword, expected",
    [
        ("KOEGE hvad er jobplaneten", "koege", "hvad er jobplaneten"),
        ("koege", "KOEGE", ""),
        ("koegebugt", "koege", "koegebugt"),
        ("hvad er jobplaneten", "koege", "hvad er jobplaneten"),
        ("KOEGE hej", None, "KOEGE hej"),
    ],
)
def test_the_keyword_of_a_shared_short_code_is_removed(text, keyword, expected):
    assert without_keyword(text, keyword) == expected
