"""Comments on tasks: the thread, edits and deletions kept as revisions, the comment object."""
