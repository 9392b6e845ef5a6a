"""Refusals of the server as exceptions: the status, and the problem+json detail that says what to fix."""


class AnvilApiError(Exception):
    def __init__(self, status, title, detail, request_id=None):
        super().__init__(f"{status} {title or ''}: {detail}".replace("  ", " "))
        self.status = status
        self.title = title
        self.detail = detail
        self.request_id = request_id


class AnvilAuthenticationError(AnvilApiError):
    """401: the key is missing, malformed, unknown, expired or revoked. Never retried."""


class AnvilPermissionError(AnvilApiError):
    """403: the key's role or model scope does not allow this. Never retried."""


class AnvilNotFoundError(AnvilApiError):
    """404: no such model, version or prediction for this key's organization."""


class AnvilInvalidRequestError(AnvilApiError):
    """400, 409, 413, 415, 422: the request itself is wrong; sending it again gives the same answer."""


class AnvilRateLimitError(AnvilApiError):
    """429 after every retry; retry_after (seconds) says when to try again."""

    def __init__(self, status, title, detail, request_id=None, retry_after=None):
        super().__init__(status, title, detail, request_id)
        self.retry_after = retry_after


class AnvilServerError(AnvilApiError):
    """503 or another 5xx after every retry."""


class AnvilConnectionError(Exception):
    """The server could not be reached (refused, reset, timed out) on any attempt."""


def error_for(status, title, detail, request_id, retry_after):
    if status == 429:
        return AnvilRateLimitError(status, title, detail, request_id, retry_after)
    kind = {401: AnvilAuthenticationError, 403: AnvilPermissionError, 404: AnvilNotFoundError}.get(status)
    if kind is None:
        kind = AnvilServerError if status >= 500 else AnvilInvalidRequestError
    return kind(status, title, detail, request_id)
