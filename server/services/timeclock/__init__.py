"""Whose clock a time entry's instants come from: the server's, or elapsed times a client
measured; never a client's wall clock alone (SPEC 11.5). And the lock on new entries."""
