"""HTTP-level refusals raised by handlers, and the rules for answering them on a live connection."""
from server.services.core.errors import ServiceError
from server.services.language.text import N_

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "body_too_large",
         415: "unsupported_media_type", 422: "idempotency_key_reused", 429: "throttled"}


class ApiError(ServiceError):
    """An HTTP-level refusal raised by a handler (the services raise their own kinds)."""

    def __init__(self, status, message, field=None, code=None):
        super().__init__(message, field)
        self.status = status
        self.code = code or CODES.get(status, "error")


class CloseAfter(ApiError):
    """A refusal answered before the body is read, closing the connection: reading the body is
    unsafe (no framing to trust, or more bytes than the server will take in to stay polite)."""


def too_large(limit, kind=ApiError):
    return kind(413, "the request body is larger than %d bytes" % limit)


def drain_max(limit):
    """The largest body read (and thrown away) to refuse it on a connection that stays open:
    past it, reading would let any client spend the server's time and bandwidth at will."""
    return max(4 * limit, 1 << 20)


def refuser(refusal):
    """A stand-in for the handler's method: the refusal, raised once the body has been read."""
    def refuse(*_args, **_kwargs):
        raise refusal
    return refuse


# The phrases of the statuses the pages answer with, said in the reader's language by error.html.
PHRASES = [N_("Bad Request"), N_("Unauthorized"), N_("Forbidden"), N_("Not Found"),
           N_("Method Not Allowed"), N_("Conflict"), N_("Request Entity Too Large"),
           N_("Unsupported Media Type"), N_("Unprocessable Entity"), N_("Too Many Requests"),
           N_("Internal Server Error"), N_("Service Unavailable")]
