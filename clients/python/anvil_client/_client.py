import json
import os
import random
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from ._errors import AnvilConnectionError, error_for

API_KEY_VARIABLE = "ANVIL_API_KEY"
_RETRYABLE = (429, 503)


class AnvilClient:
    """A typed-by-convention client: each method returns the server's JSON answer as a dict."""

    def __init__(self, base_url, api_key=None, max_retries=4, initial_backoff=0.25, max_backoff=20.0,
                 timeout=30.0, sleep=time.sleep, opener=None):
        key = api_key if api_key is not None else os.environ.get(API_KEY_VARIABLE)
        if not key or not key.strip():
            raise ValueError(f"No API key: pass api_key or set {API_KEY_VARIABLE} "
                             "(create one with ./anvil keys create --org ORG).")
        self.base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self._key = key
        self._sleep = sleep
        self._open = opener or urllib.request.build_opener().open
        self.attempts = 0  # requests sent on the wire, retries included

    # --- routes -------------------------------------------------------------------------------

    def predict(self, model, inputs, alias=None, version=None, idempotency_key=None):
        """JSON inputs shaped as the signature (pixel arrays, vectors, named features, windows) or texts."""
        body = json.dumps({"inputs": list(inputs)}).encode()
        return self._predict(model, body, "application/json", alias, version, idempotency_key)

    def predict_texts(self, model, texts, **options):
        return self.predict(model, texts, **options)

    def predict_images(self, model, images, alias=None, version=None, idempotency_key=None):
        """PNG or JPEG bytes: one as the raw body, several as multipart files."""
        images = list(images)
        if not images:
            raise ValueError("Give at least one image.")
        if len(images) == 1:
            return self._predict(model, images[0], _media_type(images[0], 0), alias, version, idempotency_key)
        boundary = f"anvil-{uuid.uuid4().hex}"
        parts = []
        for i, image in enumerate(images):
            media = _media_type(image, i)
            name = f"image-{i}.{'png' if media == 'image/png' else 'jpg'}"
            parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                         f"Content-Type: {media}\r\n\r\n".encode() + image + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._predict(model, body, f"multipart/form-data; boundary={boundary}", alias, version, idempotency_key)

    def generate(self, model, count, seed, alias=None, version=None, idempotency_key=None):
        """A generator's images: {"seed", "media_type", "images": [{"id", "width", "height", "png_base64"}]}."""
        body = json.dumps({"count": count, "seed": seed}).encode()
        return self._infer(model, "generate", body, "application/json", alias, version, idempotency_key)

    def list_models(self):
        return self._send("GET", "/v1/models")

    def get_model(self, model):
        return self._send("GET", f"/v1/models/{_segment(model)}")

    def send_feedback(self, prediction_id, label, comment=None):
        """The correct label by class name or index; the latest feedback for a prediction wins."""
        body = json.dumps({"label": label, "comment": comment}).encode()
        return self._send("POST", f"/v1/predictions/{_segment(prediction_id)}/feedback", body, "application/json")

    def list_feedback(self, model=None, label=None, cursor=None, limit=None):
        """A page of feedback, newest first: {"items": [...], "next_cursor": ...}."""
        query = urllib.parse.urlencode({k: v for k, v in (("model", model), ("label", label), ("cursor", cursor), ("limit", limit)) if v is not None})
        return self._send("GET", "/v1/feedback" + (f"?{query}" if query else ""))

    def get_usage(self, date_from=None, date_to=None):
        query = urllib.parse.urlencode({k: v for k, v in (("from", date_from), ("to", date_to)) if v})
        return self._send("GET", "/v1/usage" + (f"?{query}" if query else ""))

    # --- one logical call -----------------------------------------------------------------------

    def _predict(self, model, body, content_type, alias, version, idempotency_key):
        return self._infer(model, "predict", body, content_type, alias, version, idempotency_key)

    def _infer(self, model, action, body, content_type, alias, version, idempotency_key):
        if alias is not None and version is not None:
            raise ValueError("Give an alias or a version, not both.")
        query = f"?alias={urllib.parse.quote(alias)}" if alias else (f"?version={int(version)}" if version is not None else "")
        key = idempotency_key or f"client-{uuid.uuid4().hex}"
        return self._send("POST", f"/v1/models/{_segment(model)}/{action}{query}", body, content_type, key)

    def _send(self, method, path, body=None, content_type=None, idempotency_key=None):
        attempt = 0
        while True:
            last = attempt >= self.max_retries
            headers = {"Authorization": f"Bearer {self._key}", "Accept": "application/json"}
            if content_type:
                headers["Content-Type"] = content_type
            if idempotency_key:
                headers["Idempotency-Key"] = idempotency_key
            request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers)
            self.attempts += 1
            try:
                with self._open(request, timeout=self.timeout) as response:
                    return json.loads(response.read())
            except urllib.error.HTTPError as e:
                retry_after = _retry_after(e.headers.get("Retry-After"))
                if last or e.code not in _RETRYABLE:
                    title, detail = _problem(e)
                    raise error_for(e.code, title, detail, idempotency_key, retry_after) from None
                wait = retry_after
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                if last:
                    raise AnvilConnectionError(
                        f"{self.base_url} did not answer {method} {path} in {attempt + 1} attempts: {e}") from e
                wait = None  # refused, reset or timed out: the server may be restarting
            backoff = self.initial_backoff * 2 ** attempt * (0.5 + random.random() / 2)
            self._sleep(min(self.max_backoff, wait if wait is not None else backoff))
            attempt += 1


def _segment(value):
    if not value or not str(value).strip():
        raise ValueError("A model name or prediction id must not be empty.")
    return urllib.parse.quote(str(value), safe="")


def _media_type(image, index):
    if image[:4] == b"\x89PNG":
        return "image/png"
    if image[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    raise ValueError(f"Image {index} is neither PNG nor JPEG (by its first bytes); send PNG or JPEG files.")


def _retry_after(value):
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to the backoff


def _problem(error):
    try:
        problem = json.loads(error.read())
        return problem.get("title"), problem.get("detail") or f"the server answered {error.code}"
    except (ValueError, AttributeError):
        return None, f"the server answered {error.code} without an explanation"
