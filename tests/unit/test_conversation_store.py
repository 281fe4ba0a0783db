"""Where the conversation store connects, from one URL."""
from bot.config import PrivacySettings
from bot.privacy.tracker_store import connection_arguments


def test_sqlite_in_the_data_folder_by_default(tmp_path):
    url = PrivacySettings(data_dir=tmp_path).database_url
    assert connection_arguments(url)["dialect"] == "sqlite"
    assert connection_arguments(url)["db"] == str(tmp_path / "conversations.db")


def test_postgresql_by_url():
    url = PrivacySettings(tracker_database_url="postgresql://rasa:hemmelig@db.example:5433/samtaler").database_url
    assert connection_arguments(url) == {
        "dialect": "postgresql", "host": "db.example", "port": 5433, "db": "samtaler",
        "username": "rasa", "password": "hemmelig", "query": None,
    }


def test_settings_from_the_environment(tmp_path):
    settings = PrivacySettings.from_env({"DATA_DIR": str(tmp_path), "RETENTION_DAYS": "7"})
    assert settings.retention_days == 7 and settings.database_url.endswith("conversations.db")
