"""Domain errors raised by the services; handlers/base.py maps each to one HTTP status."""


class ServiceError(Exception):
    status = 500
    code = "server_error"

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(ServiceError):
    status, code = 400, "validation_error"


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"


class Forbidden(ServiceError):
    status, code = 403, "forbidden"


class NotFound(ServiceError):
    status, code = 404, "not_found"


class Conflict(ServiceError):
    """409: the request is valid but collides with the current state (cancelled, name taken)."""
    status, code = 409, "conflict"


class IdempotencyMismatch(ServiceError):
    status, code = 422, "idempotency_key_reused"


class Throttled(ServiceError):
    status, code = 429, "throttled"

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after
