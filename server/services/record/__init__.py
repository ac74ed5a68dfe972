"""What is kept of every change: the hash-chained audit trail and the event log (the push cursor)."""
