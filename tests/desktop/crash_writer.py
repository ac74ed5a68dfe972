"""Run by test_crash.py until it is killed: save an update to the outbox, tell the test it is saved
(one line on stdout, as the app tells the user), deliver the outbox, save the cache; repeat."""
import sys

from desktop_client.api import Client
from desktop_client.sync import TaskManager


def main(folder, server, token, user_id, task_id, tag, kind="progress"):
    manager = TaskManager(Client(server, token), folder, int(user_id))
    manager._refresh(force=True)
    n = 0
    while True:
        if kind == "comment":
            entry = manager.add_comment(int(task_id), "%s-%d" % (tag, n))
        else:
            entry = manager.submit_progress(int(task_id), n % 101, "%s-%d" % (tag, n))
        # a comment's client id is not in the comment object: the test matches its text
        print(entry["notes"] if kind == "comment" else entry["client_update_id"], flush=True)
        manager._flush()
        manager._save_cache()
        n += 1


if __name__ == "__main__":
    main(*sys.argv[1:])
