"""Every data file the bot package reads at run time ships with it when installed."""
import fnmatch

import tomli

from bot.config import PROJECT_ROOT


def test_every_yml_file_in_the_bot_package_is_package_data():
    config = tomli.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bot"]
    package = PROJECT_ROOT / "bot"
    data_files = [path.relative_to(package).as_posix() for path in package.rglob("*.yml")]
    assert data_files
    left_out = [f for f in data_files if not any(fnmatch.fnmatch(f, p) for p in patterns)]
    assert left_out == []
