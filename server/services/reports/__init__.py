"""Read models for admins: statistics over a window, presence over a window, CSV exports."""
