import { randomUUID } from "node:crypto";
import { AnvilConnectionError, errorFor } from "./errors.js";
import type { AnvilClientOptions, FeedbackPage, GenerateResponse, FeedbackResponse, ModelDetail, ModelSummary, PredictOptions, PredictResponse, UsageResponse } from "./types.js";

export * from "./errors.js";
export type * from "./types.js";

const RETRYABLE = new Set([429, 503]);

/**
 * A typed client for an Anvil server's /v1 API.
 *
 *     const anvil = new AnvilClient({ baseUrl: "http://127.0.0.1:8080" }); // key from ANVIL_API_KEY
 *     const answer = await anvil.predictImages("fashion", [await readFile("shoe.png")]);
 *     await anvil.sendFeedback(answer.predictions[0].id, "Sneaker");
 *
 * Every call is retried on 429 (after the server's Retry-After), 503 and connection failures, never on
 * another 4xx; a predict call keeps one Idempotency-Key across its retries, so it is billed once.
 */
export class AnvilClient {
  /** Requests sent on the wire, retries included. */
  attempts = 0;
  private readonly key: string;
  private readonly baseUrl: string;
  private readonly options: Required<Omit<AnvilClientOptions, "apiKey" | "baseUrl">>;

  constructor(options: AnvilClientOptions) {
    const key = options.apiKey ?? process.env.ANVIL_API_KEY;
    if (!key || !key.trim()) throw new Error("No API key: pass apiKey or set ANVIL_API_KEY (create one with ./anvil keys create --org ORG).");
    this.key = key;
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.options = {
      maxRetries: options.maxRetries ?? 4,
      initialBackoffMs: options.initialBackoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 20_000,
      timeoutMs: options.timeoutMs ?? 30_000,
      fetch: options.fetch ?? globalThis.fetch,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
  }

  /** JSON inputs shaped as the model's signature (pixel arrays, vectors, named features, windows) or texts. */
  predict(model: string, inputs: unknown[], options: PredictOptions = {}): Promise<PredictResponse> {
    return this.sendPredict(model, () => JSON.stringify({ inputs }), "application/json", options);
  }

  predictTexts(model: string, texts: string[], options: PredictOptions = {}): Promise<PredictResponse> {
    return this.predict(model, texts, options);
  }

  /** PNG or JPEG bytes: one as the raw body, several as multipart files. */
  predictImages(model: string, images: Uint8Array[], options: PredictOptions = {}): Promise<PredictResponse> {
    if (images.length === 0) throw new Error("Give at least one image.");
    if (images.length === 1) return this.sendPredict(model, () => new Uint8Array(images[0]), mediaType(images[0], 0), options);
    return this.sendPredict(model, () => {
      const form = new FormData();
      images.forEach((image, i) => {
        const type = mediaType(image, i);
        form.append("files", new Blob([new Uint8Array(image)], { type }), `image-${i}.${type === "image/png" ? "png" : "jpg"}`);
      });
      return form;
    }, undefined, options);
  }

  /** A generator's images, deterministic for a seed and a version; each is one billed prediction. */
  generate(model: string, count: number, seed: number, options: PredictOptions = {}): Promise<GenerateResponse> {
    return this.sendInference(model, "generate", () => JSON.stringify({ count, seed }), "application/json", options);
  }

  listModels(signal?: AbortSignal): Promise<ModelSummary[]> {
    return this.send("GET", "/v1/models", undefined, undefined, undefined, signal);
  }

  getModel(model: string, signal?: AbortSignal): Promise<ModelDetail> {
    return this.send("GET", `/v1/models/${segment(model)}`, undefined, undefined, undefined, signal);
  }

  /** The correct label by class name or index; the latest feedback for a prediction wins. */
  sendFeedback(predictionId: string, label: string | number, comment?: string, signal?: AbortSignal): Promise<FeedbackResponse> {
    return this.send("POST", `/v1/predictions/${segment(predictionId)}/feedback`, () => JSON.stringify({ label, comment: comment ?? null }), "application/json", undefined, signal);
  }

  /** A page of feedback, newest first; pass next_cursor back for the next page. */
  listFeedback(filter: { model?: string; label?: string; cursor?: string; limit?: number } = {}, signal?: AbortSignal): Promise<FeedbackPage> {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString();
    return this.send("GET", `/v1/feedback${query ? `?${query}` : ""}`, undefined, undefined, undefined, signal);
  }

  getUsage(from?: string, to?: string, signal?: AbortSignal): Promise<UsageResponse> {
    const query = new URLSearchParams(Object.entries({ from, to }).filter(([, v]) => v) as [string, string][]).toString();
    return this.send("GET", `/v1/usage${query ? `?${query}` : ""}`, undefined, undefined, undefined, signal);
  }

  private sendPredict(model: string, body: () => BodyInit, contentType: string | undefined, options: PredictOptions): Promise<PredictResponse> {
    return this.sendInference(model, "predict", body, contentType, options);
  }

  private sendInference<T>(model: string, action: string, body: () => BodyInit, contentType: string | undefined, options: PredictOptions): Promise<T> {
    if (options.alias !== undefined && options.version !== undefined) throw new Error("Give an alias or a version, not both.");
    const query = options.alias !== undefined ? `?alias=${encodeURIComponent(options.alias)}` : options.version !== undefined ? `?version=${Math.trunc(options.version)}` : "";
    const key = options.idempotencyKey ?? `client-${randomUUID().replaceAll("-", "")}`;
    return this.send("POST", `/v1/models/${segment(model)}/${action}${query}`, body, contentType, key, options.signal);
  }

  private async send<T>(method: string, path: string, body: (() => BodyInit) | undefined, contentType: string | undefined, idempotencyKey: string | undefined, signal: AbortSignal | undefined): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.options.maxRetries;
      const headers: Record<string, string> = { Authorization: `Bearer ${this.key}`, Accept: "application/json" };
      if (contentType) headers["Content-Type"] = contentType;
      if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
      const abort = new AbortController(); // the caller's signal or this attempt's timeout
      const timer = setTimeout(() => abort.abort(new Error(`no answer in ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      const cancel = () => abort.abort(signal?.reason);
      signal?.addEventListener("abort", cancel, { once: true });
      this.attempts++;
      let response: Response;
      try {
        response = await this.options.fetch(this.baseUrl + path, { method, headers, body: body?.(), signal: abort.signal });
      } catch (error) {
        if (signal?.aborted) throw error; // the caller cancelled
        if (last) throw new AnvilConnectionError(`${this.baseUrl} did not answer ${method} ${path} in ${attempt + 1} attempts: ${error}`, error);
        await this.options.sleep(this.backoff(attempt, undefined));
        continue;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", cancel);
      }
      if (response.ok) return (await response.json()) as T;
      const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
      if (last || !RETRYABLE.has(response.status)) {
        const { title, detail } = await problem(response);
        throw errorFor(response.status, title, detail, idempotencyKey, retryAfter);
      }
      await response.body?.cancel();
      await this.options.sleep(this.backoff(attempt, retryAfter === undefined ? undefined : retryAfter * 1000));
    }
  }

  private backoff(attempt: number, retryAfterMs: number | undefined): number {
    const exponential = this.options.initialBackoffMs * 2 ** attempt * (0.5 + Math.random() / 2);
    return Math.min(this.options.maxBackoffMs, retryAfterMs ?? exponential);
  }
}

function segment(value: string): string {
  if (!value || !value.trim()) throw new Error("A model name or prediction id must not be empty.");
  return encodeURIComponent(value);
}

function mediaType(image: Uint8Array, index: number): string {
  if (image[0] === 0x89 && image[1] === 0x50 && image[2] === 0x4e && image[3] === 0x47) return "image/png";
  if (image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff) return "image/jpeg";
  throw new Error(`Image ${index} is neither PNG nor JPEG (by its first bytes); send PNG or JPEG files.`);
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds : undefined; // an HTTP date: fall back to the backoff
}

async function problem(response: Response): Promise<{ title?: string; detail: string }> {
  try {
    const body = (await response.json()) as { title?: string; detail?: string };
    return { title: body.title, detail: body.detail ?? `the server answered ${response.status}` };
  } catch {
    return { detail: `the server answered ${response.status} without an explanation` };
  }
}
