"""``python -m bot users``: an administrator manages staff accounts from the shell."""
import io

from bot.__main__ import main
from bot.answer_store import AnswerStore
from bot.config import AnswerStoreSettings


def users(monkeypatch, tmp_path, *argv, stdin=""):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["users", *argv])


def test_add_disable_enable_and_list(monkeypatch, tmp_path, capsys):
    assert users(monkeypatch, tmp_path, "add", "anna", "--admin", "--password-stdin", stdin="anna-har-en-lang-kode\n") == 0
    assert "oprettet som administrator" in capsys.readouterr().out
    store = AnswerStore.open(AnswerStoreSettings(data_dir=tmp_path))
    assert store.staff.verify("anna", "anna-har-en-lang-kode").is_admin
    assert users(monkeypatch, tmp_path, "disable", "anna") == 0
    assert store.staff.verify("anna", "anna-har-en-lang-kode") is None
    assert users(monkeypatch, tmp_path, "enable", "anna") == 0
    capsys.readouterr()
    assert users(monkeypatch, tmp_path, "list") == 0
    assert capsys.readouterr().out.split() == ["anna", "administrator", "aktiv"]
    store.close()


def test_refusals_are_danish_and_exit_non_zero(monkeypatch, tmp_path, capsys):
    assert users(monkeypatch, tmp_path, "add", "bo", "--password-stdin", stdin="kort\n") == 1
    assert "mindst 10 tegn" in capsys.readouterr().err
    assert users(monkeypatch, tmp_path, "disable", "ingen") == 1
    assert "Der findes ingen medarbejder" in capsys.readouterr().err
