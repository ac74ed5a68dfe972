"""The path every committed change takes: group-commit writer -> bus -> observers (caches, the
monitor board, push sockets)."""
