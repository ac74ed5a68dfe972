"""Storage: atomic JSON files, the outbox's order and durability, the token's file mode."""
import json
import os
import stat

from desktop_client import storage


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


def test_outbox_keeps_order_across_reopen_and_removes_only_acknowledged(tmp_path):
    outbox = storage.Outbox(tmp_path)
    first = outbox.add("progress", 7, 10, "started", "ACTIVE")
    second = outbox.add("progress", 7, 20)
    third = outbox.add("complete", 8, notes="done")
    reopened = storage.Outbox(tmp_path)
    assert [e["client_update_id"] for e in reopened.pending()] == [
        first["client_update_id"], second["client_update_id"], third["client_update_id"]]
    assert third["progress_percentage"] == 100 and first["occupancy_status"] == "ACTIVE"
    reopened.acknowledge(second["client_update_id"])
    reopened.refuse(third["client_update_id"], 409, "task 8 is cancelled")
    again = storage.Outbox(tmp_path)
    assert [e["client_update_id"] for e in again.pending()] == [first["client_update_id"]]
    assert again.refused()[0]["refused_reason"] == "task 8 is cancelled"
    again.dismiss(third["client_update_id"])
    assert storage.Outbox(tmp_path).refused() == []


def test_an_outbox_saved_under_the_old_key_is_read_as_progress_percentage(tmp_path):
    """Entries may wait in the file across an upgrade: they keep their value under the new name."""
    old = {"client_update_id": "k1", "kind": "progress", "task_id": 7, "progress": 60,
           "notes": "", "occupancy_status": None, "client_timestamp": "2030-01-01T10:00:00+00:00"}
    storage.write_json(tmp_path / storage.OUTBOX_FILE,
                       {"pending": [old], "refused": [dict(old, client_update_id="k2")]})
    outbox = storage.Outbox(tmp_path)
    pending, refused = outbox.pending()[0], outbox.refused()[0]
    assert pending == dict({k: v for k, v in old.items() if k != "progress"}, progress_percentage=60)
    assert refused["progress_percentage"] == 60 and "progress" not in refused


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
