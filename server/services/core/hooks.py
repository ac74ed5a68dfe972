"""In-transaction hooks: a service says what happened, and what must also be written in the same
transaction subscribes to it by name. make_app subscribes the consumers (the webhook outbox and
the mails to the event log, time tracking to presence), so a service imports none of them."""


class Hooks:
    """Named consumers, run in the order subscribed; subscribing a name again replaces it."""

    def __init__(self):
        self._consumers = {}

    def subscribe(self, name, consumer):
        """Run `consumer(*args)` on every call; None takes `name` off again."""
        if consumer is None:
            self._consumers.pop(name, None)
        else:
            self._consumers[name] = consumer

    def __call__(self, *args):
        for consume in tuple(self._consumers.values()):
            consume(*args)
