"""The REST API: one module per resource, each ending in its `routes` list; JSON in and out."""
