"""The web plumbing around the handlers: the HTTP server's connection limits, the access log, the template escape."""
