"""Storage: atomic JSON files (the outbox's too), stale temp files, the token's file mode."""
import json
import os
import stat
from pathlib import Path

import pytest

from desktop_client import storage
from desktop_client.outbox import Journal


def test_app_dir_honours_env_and_is_private(tmp_path):
    folder = storage.app_dir({"TRACKER_APP_DIR": str(tmp_path / "x")})
    assert folder == tmp_path / "x"
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_write_json_replaces_whole_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "f.json"
    storage.write_json(path, {"a": 1})
    storage.write_json(path, {"b": [1, 2]})
    assert json.loads(path.read_text()) == {"b": [1, 2]}
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_stale_temp_files_are_removed_and_real_files_kept(tmp_path):
    storage.write_json(tmp_path / "outbox.json", {"pending": []})
    (tmp_path / ".outbox.json.abc.tmp").write_text('{"pend')
    storage.remove_stale_temp_files(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outbox.json"]


def test_token_file_is_readable_by_the_user_only(tmp_path):
    tokens = storage.TokenStore(tmp_path)
    tokens.save("http://h", "secret-token", {"id": 1, "username": "u"})
    assert stat.S_IMODE(os.stat(tmp_path / "token").st_mode) == 0o600
    assert tokens.load()["token"] == "secret-token"
    tokens.clear()
    assert tokens.load() is None


def test_cache_round_trip_and_missing_file(tmp_path):
    cache = storage.TaskCache(tmp_path)
    assert cache.load()["tasks"] == []
    cache.save([{"id": 1}], 42, '"etag"', user=5)
    loaded = cache.load()
    assert (loaded["tasks"], loaded["cursor"], loaded["etag"], loaded["user"]) == (
        [{"id": 1}], 42, '"etag"', 5)


def refuse_folders(real_open):
    """os.open as Windows behaves: a folder cannot be opened (files still can: mkstemp uses it)."""
    def fake_open(path, flags, *args, **kwargs):
        if os.path.isdir(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)
    return fake_open


def test_every_file_is_written_atomically_where_a_folder_cannot_be_opened(tmp_path, monkeypatch):
    opened = []
    fake = refuse_folders(os.open)
    monkeypatch.setattr(storage.os, "open", lambda p, *a, **k: opened.append(p) or fake(p, *a, **k))
    storage.Settings(tmp_path).update(username="uma")
    storage.TokenStore(tmp_path).save("http://h", "t", {"id": 1, "username": "uma"})
    storage.TaskCache(tmp_path).save([{"id": 1}], 3)
    entry = Journal(tmp_path, 1)
    entry.pending.append({"kind": "progress", "client_update_id": "k"})
    entry.save()
    monkeypatch.undo()
    assert tmp_path in [type(tmp_path)(p) for p in opened]  # the folder was tried, and refused
    assert storage.Settings(tmp_path)["username"] == "uma"
    assert storage.TokenStore(tmp_path).load()["token"] == "t"
    assert storage.TaskCache(tmp_path).load()["cursor"] == 3
    assert Journal(tmp_path, 1).pending == [{"kind": "progress", "client_update_id": "k"}]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "outbox-1.json", "settings.json", "task_cache.json", "token"]


def test_fsync_dir_says_whether_the_folder_could_be_synced(tmp_path, monkeypatch):
    assert storage.fsync_dir(tmp_path) is True
    monkeypatch.setattr(storage.os, "open", refuse_folders(os.open))
    assert storage.fsync_dir(tmp_path) is False


def test_a_failed_replace_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    storage.write_json(path, {"v": 1})

    def refuse(*_args):
        raise PermissionError(13, "file in use")  # Windows: another process holds the file open
    monkeypatch.setattr(storage.os, "replace", refuse)
    try:
        storage.write_json(path, {"v": 2})
    except PermissionError:
        pass
    else:
        raise AssertionError("the refusal must reach the caller")
    assert json.loads(path.read_text()) == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


@pytest.mark.parametrize("platform, environ, expected", [
    ("win32", {"LOCALAPPDATA": "C:/Users/uma/AppData/Local"},
     "C:/Users/uma/AppData/Local/ProgressTracker"),
    ("win32", {}, "HOME/AppData/Local/ProgressTracker"),
    ("darwin", {}, "HOME/Library/Application Support/ProgressTracker"),
    ("linux", {"XDG_DATA_HOME": "XDG"}, "XDG/progress-tracker"),
    ("linux", {}, "HOME/.local/share/progress-tracker"),
])
def test_default_app_dir_follows_each_os(tmp_path, platform, environ, expected):
    environ = {k: v.replace("XDG", str(tmp_path / "xdg")) for k, v in environ.items()}
    expected = expected.replace("HOME", str(tmp_path)).replace("XDG", str(tmp_path / "xdg"))
    assert storage.default_app_dir(environ, platform, tmp_path) == Path(expected)


def test_app_dir_is_created_per_os_and_private(tmp_path):
    folder = storage.app_dir({"XDG_DATA_HOME": str(tmp_path / "data")}, "linux", tmp_path)
    assert folder == tmp_path / "data" / "progress-tracker"
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_an_existing_tracker_app_folder_keeps_being_used(tmp_path):
    """An older version's folder may hold unsent updates: it wins over the OS convention."""
    (tmp_path / ".tracker_app").mkdir()
    assert storage.app_dir({}, "darwin", tmp_path) == tmp_path / ".tracker_app"
    assert storage.app_dir({"TRACKER_APP_DIR": str(tmp_path / "x")}, "darwin", tmp_path) == \
        tmp_path / "x"
