"""Time tracking: timers and time entries, the rules they obey, corrections, tracked-time statistics."""
