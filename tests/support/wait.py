"""wait_until: the one deadline loop of the tests. A condition is polled until it holds; nothing
sleeps for a fixed time, and a condition that never holds fails with what was last seen."""
import time


def wait_until(condition, timeout=10, message=None, interval=0.05):
    """condition()'s first truthy value within `timeout` seconds, else an AssertionError saying
    `message` (a string, or a function called for it then: what the state finally was)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            said = message() if callable(message) else message
            raise AssertionError("%s (not within %s s)" % (said or "condition not met", timeout))
        time.sleep(interval)
