"""The admin's live monitor: what the board may be asked, recent activity, and the in-memory task board."""
