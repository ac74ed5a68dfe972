"""Managing people beyond the user rows: one-time set-password links (People page, API)."""
