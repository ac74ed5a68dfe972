"""Settings: the environment and overrides reach the app, and docs/operations.md documents every one."""
from support.server import ROOT
from server import settings

OPERATIONS = ROOT / "docs" / "operations.md"


def test_every_setting_is_in_the_operations_table():
    page = OPERATIONS.read_text().splitlines()
    rows = settings.markdown_table().splitlines()
    for (name, _default, _env, _help), row in zip(settings.SETTINGS, rows[2:]):
        assert row in page, "docs/operations.md lacks or misstates %s: want %s" % (name, row)


def test_environment_then_overrides():
    values = settings.from_env({"TRACKER_PORT": "9001", "TRACKER_XHEADERS": "yes"}, db="sqlite:///x.db")
    assert values["port"] == 9001 and values["xheaders"] is True and values["db"] == "sqlite:///x.db"
    assert settings.from_env({}, port=None)["port"] == 8000
