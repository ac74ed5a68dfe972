"""What leaves the server: webhooks and their outbox and sender, e-mail and its sender, calendar feeds."""
