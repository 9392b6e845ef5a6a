// Runs against a real `./anvil serve` (tests/Anvil.Cli.Tests/ClientTests.cs starts it and sets ANVIL_URL,
// ANVIL_API_KEY — an unlimited key — and ANVIL_LIMITED_KEY — 1 request a minute — for org 'acme' with model 'fashion').
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { deflateSync } from "node:zlib";
import { AnvilAuthenticationError, AnvilClient, AnvilConnectionError, AnvilInvalidRequestError, AnvilNotFoundError, AnvilRateLimitError } from "../src/index.js";

const url = process.env.ANVIL_URL;
const skip = url ? false : "needs a running server: ANVIL_URL";

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function png(seed: number, size = 28): Uint8Array {
  let state = seed;
  const rows = Buffer.alloc(size * (size + 1));
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) rows[y * (size + 1) + 1 + x] = (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
  const chunk = (kind: string, data: Buffer) => {
    const head = Buffer.alloc(4); head.writeUInt32BE(data.length);
    const tail = Buffer.alloc(4); tail.writeUInt32BE(crc32(Buffer.concat([Buffer.from(kind), data])));
    return Buffer.concat([head, Buffer.from(kind), data, tail]);
  };
  const header = Buffer.alloc(13); header.writeUInt32BE(size, 0); header.writeUInt32BE(size, 4); header[8] = 8; // 8-bit greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

const client = (apiKey = process.env.ANVIL_API_KEY, maxRetries = 4) =>
  new AnvilClient({ baseUrl: url!, apiKey, maxRetries, initialBackoffMs: 50, maxBackoffMs: 200 });

test("every route answers", { skip }, async () => {
  const c = client();
  const one = await c.predictImages("fashion", [png(1)]);
  const two = await c.predictImages("fashion", [png(2), png(3)], { alias: "champion" });
  const pixels = await c.predict("fashion", [[Array.from({ length: 28 }, () => new Array(28).fill(0))]], { version: 1 });
  assert.deepEqual([one.model, one.version], ["fashion", 1]);
  assert.equal(two.predictions.length, 2);
  assert.equal(Object.keys(pixels.predictions[0].probabilities!).length, 10);
  assert.ok((await c.listModels()).some((m) => m.name === "fashion"));
  assert.deepEqual((await c.getModel("fashion")).versions.map((v) => v.version), [1]);
  const feedback = await c.sendFeedback(one.predictions[0].id, "Sneaker", "a shoe");
  assert.deepEqual([feedback.label_name, feedback.label], ["Sneaker", 7]);
  const page = await c.listFeedback({ model: "fashion", label: "Sneaker", limit: 50 });
  assert.ok(page.items.some((item) => item.prediction_id === one.predictions[0].id));
  assert.ok((await c.getUsage()).invoice.billed_predictions >= 4);
});

test("a generator answers the same images for a seed", { skip }, async () => {
  const c = client();
  const first = await c.generate(process.env.ANVIL_GENERATOR!, 2, 7);
  const again = await c.generate(process.env.ANVIL_GENERATOR!, 2, 7);
  assert.equal(first.images.length, 2);
  assert.equal(again.images[1].png_base64, first.images[1].png_base64);
  await assert.rejects(c.generate(process.env.ANVIL_GENERATOR!, 1, -1), AnvilInvalidRequestError);
});

test("refusals are typed and never retried", { skip }, async () => {
  const c = client();
  await assert.rejects(c.predictImages("nope", [png(1)]), (e: unknown) => e instanceof AnvilNotFoundError && e.detail.includes("nope"));
  await assert.rejects(c.predict("fashion", [[1, 2, 3]]), (e: unknown) => e instanceof AnvilInvalidRequestError && e.status === 400);
  assert.equal(c.attempts, 2);
  await assert.rejects(client(process.env.ANVIL_API_KEY!.slice(0, -4) + "AAAA").listModels(), AnvilAuthenticationError);
  assert.throws(() => new AnvilClient({ baseUrl: url!, apiKey: " " }));
});

test("a 429 is retried then raised with its Retry-After", { skip }, async () => {
  const c = client(process.env.ANVIL_LIMITED_KEY, 2);
  await c.predictImages("fashion", [png(1)]);
  await assert.rejects(c.predictImages("fashion", [png(2)]), (e: unknown) => e instanceof AnvilRateLimitError && e.retryAfterSeconds! >= 1 && e.retryAfterSeconds! <= 61);
  assert.equal(c.attempts, 1 + 3);
});

test("the same Idempotency-Key is answered once", { skip }, async () => {
  const first = await client().predictImages("fashion", [png(9)], { idempotencyKey: "ts-order-1" });
  const again = await client().predictImages("fashion", [png(9)], { idempotencyKey: "ts-order-1" }); // a restarted process
  assert.equal(again.predictions[0].id, first.predictions[0].id);
});

test("connection failures are retried then raised", async () => {
  const waits: number[] = [];
  const c = new AnvilClient({ baseUrl: "http://127.0.0.1:9", apiKey: "anvil_x", maxRetries: 3, sleep: async (ms) => { waits.push(ms); } });
  await assert.rejects(c.listModels(), AnvilConnectionError);
  assert.equal(c.attempts, 4);
  assert.equal(waits.length, 3);
  assert.ok(waits[0] < waits[2]);
});
