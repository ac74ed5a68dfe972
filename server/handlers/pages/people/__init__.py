"""The People pages: every user, adding and changing them, and erasing a person (owners)."""
