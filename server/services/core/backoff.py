"""When to try again: the one retry rule of the outbox's senders (webhooks and e-mail)."""
import random

MAX_DELAY = 6 * 3600.0


def retry_delay(attempts, base_seconds, rng=random):
    """Seconds before the next try after `attempts` failures: exponential, capped, with jitter
    (half to all of the step), so receivers that come back are not hit by every sender at once."""
    step = min(MAX_DELAY, base_seconds * 2 ** min(attempts - 1, 30))
    return step * rng.uniform(0.5, 1.0)
