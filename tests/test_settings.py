"""Settings: the environment and overrides reach the app, and the README documents every one."""
from support.server import ROOT
from server import settings


def test_every_setting_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text()
    for name, default, env, _help in settings.SETTINGS:
        assert "| `%s` | `%s` | `%s` |" % (name, env, default) in readme, "README lacks %s" % name


def test_environment_then_overrides():
    values = settings.from_env({"TRACKER_PORT": "9001", "TRACKER_XHEADERS": "yes"}, db="sqlite:///x.db")
    assert values["port"] == 9001 and values["xheaders"] is True and values["db"] == "sqlite:///x.db"
    assert settings.from_env({}, port=None)["port"] == 8000
