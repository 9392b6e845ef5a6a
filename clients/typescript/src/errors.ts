/** A refusal of the server: its status and the problem+json detail that says what to fix. */
export class AnvilApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string | undefined,
    readonly detail: string,
    readonly requestId?: string,
  ) {
    super(`${status} ${title ?? ""}: ${detail}`);
    this.name = new.target.name;
  }
}

/** 401: the key is missing, malformed, unknown, expired or revoked. Never retried. */
export class AnvilAuthenticationError extends AnvilApiError {}
/** 403: the key's role or model scope does not allow this. Never retried. */
export class AnvilPermissionError extends AnvilApiError {}
/** 404: no such model, version or prediction for this key's organization. */
export class AnvilNotFoundError extends AnvilApiError {}
/** 400, 409, 413, 415, 422: the request itself is wrong; sending it again gives the same answer. */
export class AnvilInvalidRequestError extends AnvilApiError {}
/** 503 or another 5xx after every retry. */
export class AnvilServerError extends AnvilApiError {}

/** 429 after every retry; retryAfterSeconds says when to try again. */
export class AnvilRateLimitError extends AnvilApiError {
  constructor(status: number, title: string | undefined, detail: string, requestId: string | undefined, readonly retryAfterSeconds?: number) {
    super(status, title, detail, requestId);
  }
}

/** The server could not be reached (refused, reset, timed out) on any attempt. */
export class AnvilConnectionError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "AnvilConnectionError";
  }
}

export function errorFor(status: number, title: string | undefined, detail: string, requestId: string | undefined, retryAfter: number | undefined): AnvilApiError {
  if (status === 429) return new AnvilRateLimitError(status, title, detail, requestId, retryAfter);
  if (status === 401) return new AnvilAuthenticationError(status, title, detail, requestId);
  if (status === 403) return new AnvilPermissionError(status, title, detail, requestId);
  if (status === 404) return new AnvilNotFoundError(status, title, detail, requestId);
  return status >= 500 ? new AnvilServerError(status, title, detail, requestId) : new AnvilInvalidRequestError(status, title, detail, requestId);
}
