"""A client for an Anvil server's /v1 API, on the Python standard library only.

    from anvil_client import AnvilClient
    anvil = AnvilClient("http://127.0.0.1:8080")            # the key from ANVIL_API_KEY
    answer = anvil.predict_images("fashion", [open("shoe.png", "rb").read()])
    anvil.send_feedback(answer["predictions"][0]["id"], "Sneaker")

Every call is retried on 429 (after the server's Retry-After), 503 and connection failures, never on
another 4xx; a predict call keeps one Idempotency-Key across its retries, so it is billed once.
"""

from ._client import AnvilClient
from ._errors import (
    AnvilApiError,
    AnvilAuthenticationError,
    AnvilConnectionError,
    AnvilInvalidRequestError,
    AnvilNotFoundError,
    AnvilPermissionError,
    AnvilRateLimitError,
    AnvilServerError,
)

__all__ = [
    "AnvilClient",
    "AnvilApiError",
    "AnvilAuthenticationError",
    "AnvilConnectionError",
    "AnvilInvalidRequestError",
    "AnvilNotFoundError",
    "AnvilPermissionError",
    "AnvilRateLimitError",
    "AnvilServerError",
]
