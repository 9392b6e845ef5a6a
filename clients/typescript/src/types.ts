// The /v1 answers, field for field as docs/openapi.json names them.

export interface PredictionResult {
  id: string;
  label?: string | null;
  label_index?: number | null;
  probabilities?: Record<string, number> | null;
  forecast?: number[] | null;
  truncated?: boolean | null;
  version: number;
}

export interface PredictResponse {
  request_id: string;
  model: string;
  version: number;
  predictions: PredictionResult[];
}

export interface ModelSummary {
  name: string;
  latest_version: number;
  aliases: Record<string, number>;
  served_version: number;
  architecture: string;
  input_kind: string;
  output_kind: string;
  signature: unknown;
  preprocessing: unknown;
  created_at: string;
}

export interface VersionSummary {
  version: number;
  manifest_digest: string;
  run_id?: string | null;
  created_at: string;
  metrics: Record<string, number>;
}

export interface ModelDetail {
  model: ModelSummary;
  versions: VersionSummary[];
}

export interface FeedbackResponse {
  prediction_id: string;
  label: number;
  label_name: string;
  comment?: string | null;
  created_at: string;
}

export interface GenerateResponse {
  seed: number;
  media_type: string;
  images: { id: string; width: number; height: number; png_base64: string }[];
}

export interface FeedbackPage {
  items: { prediction_id: string; model: string; version: number; predicted: string; label: string; label_index: number; comment?: string | null; created_at: string }[];
  next_cursor?: string | null;
}

export interface UsageResponse {
  organization: string;
  from: string;
  to: string;
  days: { day: string; model: string; requests: number; predictions: number }[];
  invoice: {
    year: number;
    month: number;
    period_start: string;
    period_end: string;
    billed_predictions: number;
    lines: { plan: string; model: string; predictions: number; price_per1000_micros: number; amount_micros: number }[];
    total_micros: number;
    total_usd: string;
  };
}

/** Which version answers, and the Idempotency-Key of the call (fresh unless given; reused on every retry). */
export interface PredictOptions {
  alias?: string;
  version?: number;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface AnvilClientOptions {
  baseUrl: string;
  /** Default: process.env.ANVIL_API_KEY. */
  apiKey?: string;
  /** Retries after the first attempt, on 429, 503 and connection failures only. Default 4. */
  maxRetries?: number;
  /** Milliseconds before the first retry, doubled per retry with jitter. Default 250. */
  initialBackoffMs?: number;
  /** Longest wait between attempts, Retry-After included. Default 20,000. */
  maxBackoffMs?: number;
  /** Limit for one attempt in milliseconds; a timed-out attempt is retried. Default 30,000. */
  timeoutMs?: number;
  /** The fetch to use (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** How to wait (default: setTimeout). */
  sleep?: (ms: number) => Promise<void>;
}
