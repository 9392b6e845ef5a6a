// node js/predict.mjs INPUT... [--int8]   (from the bundle folder; npm install --prefix js first)
// INPUT: a JSON file {"inputs": [...]} in the API's own form (texts for a text model), or PNG/JPEG files for an image model.
import { createHash, createPublicKey, verify } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ort from "onnxruntime-node";
import { PNG } from "pngjs";
import sharp from "sharp";

const fail = (message) => { console.error(message); process.exit(1); };
const bundle = join(dirname(fileURLToPath(import.meta.url)), "..");
const folder = process.argv.slice(2).includes("--int8") ? join(bundle, "int8") : bundle; // the int8 version has its own signed manifest
const read = (name) => readFileSync(join(folder, name));
const manifestBytes = read("manifest.json");
const key = createPublicKey(readFileSync(join(bundle, "manifest-signing.pub.pem")));
if (!verify("sha256", manifestBytes, { key, dsaEncoding: "ieee-p1363" }, read("manifest.sig")))
  fail("manifest.json does not match manifest.sig: the bundle was changed after export.");
const manifest = JSON.parse(manifestBytes);
const model = read("model.onnx");
if ("sha256:" + createHash("sha256").update(model).digest("hex") !== manifest.files["model.onnx"])
  fail("model.onnx does not match its digest in the signed manifest: the bundle was changed after export.");

const spec = manifest.signature.inputs[0];
const preprocessing = manifest.preprocessing;
const shape = preprocessing.tokenizer ? [preprocessing.tokenizer.max_length] : spec.shape.slice(1); // a text axis may be symbolic in the graph
const columns = preprocessing.columns ?? []; // a model trained on a CSV file: named features
const named = (row) => { // a null or missing value takes the fitted fill, then the fitted bounds clip it, as the server does
  const unknown = Object.keys(row).find((k) => !columns.some((c) => c.name === k));
  if (unknown !== undefined) fail(`The model has no feature '${unknown}'; its features are ${columns.map((c) => c.name).join(", ")}.`);
  return columns.map((c) => {
    let value = row[c.name] ?? c.fill;
    if (value == null) fail(`Feature '${c.name}' is missing and the model has no fill for it; send a value.`);
    if (c.lower != null) value = Math.max(value, c.lower);
    if (c.upper != null) value = Math.min(value, c.upper);
    return value;
  });
};

// The server's image path: 8-bit RGBA (alpha ignored), then one grey plane (BT.601 luma computed in float32, as
// the server does) or planes R, G, B of raw 0–255 values (scale, mean and std are inside model.onnx). PNGs are
// decoded by pngjs, JPEGs by sharp (libjpeg-turbo, as the server's SkiaSharp: the same pixels; colour profiles are
// ignored, as the server ignores them). The server resizes other sizes with SkiaSharp's bilinear filter, which this
// snippet does not reproduce: it refuses them.
const f = Math.fround;
const image = async (file, bytes) => {
  if (preprocessing.kind !== "image") fail(`${file} is an image; this model takes ${preprocessing.kind}: give a JSON file {"inputs": [...]}.`);
  const { channels, height, width } = preprocessing;
  let decoded;
  try {
    if (bytes[0] === 0x89) {
      const png = PNG.sync.read(bytes);
      if (png.depth === 16) fail(`${file} is a 16-bit PNG; save it with 8 bits per channel, or send it to the server.`);
      decoded = { width: png.width, height: png.height, bands: 4, data: png.data };
    } else {
      const { data, info } = await sharp(bytes, { ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
      decoded = { width: info.width, height: info.height, bands: info.channels, data };
    }
  } catch (error) {
    fail(`${file} could not be decoded (${error.message}); the file is damaged.`);
  }
  if (decoded.width !== width || decoded.height !== height)
    fail(`${file} is ${decoded.width}×${decoded.height}; this model takes ${width}×${height} images. Resize it first, or use the C# snippet or the server, which resize it.`);
  const plane = width * height;
  const sample = new Float32Array(channels * plane);
  for (let at = 0; at < plane; at++) {
    const pixel = decoded.data.subarray(decoded.bands * at, decoded.bands * (at + 1));
    const [r, g, b] = decoded.bands >= 3 ? pixel : [pixel[0], pixel[0], pixel[0]]; // a grey JPEG: one band
    if (channels === 1) sample[at] = f(f(f(f(0.299) * r) + f(f(0.587) * g)) + f(f(0.114) * b));
    else [sample[at], sample[plane + at], sample[2 * plane + at]] = [r, g, b];
  }
  return sample;
};

// The server's tokenizer (Microsoft.ML.Tokenizers' BertTokenizer as Anvil configures it), step by step: drop U+0000,
// U+FFFD and control characters (tabs and newlines too: "a\nb" is one word "ab", as on the server), a space separator
// becomes " ", upper-case letters are lower-cased (when the model was trained so; U+0130 stays), CJK ideographs are
// set apart by spaces, then NFC; the words are runs of letters, non-spacing marks, digits and connectors, each
// punctuation mark is a word of its own (both only below U+10000), other characters (symbols, emoji) are dropped, and "[pad]"/"[unk]" (as
// cased) are their special tokens. A word is its vocabulary id, or [UNK] (1) when absent or over 100 UTF-16 units.
const tokenizer = (() => {
  const settings = preprocessing.tokenizer;
  if (!settings) return null;
  const vocabularyBytes = read(settings.vocabulary);
  if ("sha256:" + createHash("sha256").update(vocabularyBytes).digest("hex") !== manifest.files[settings.vocabulary])
    fail(`${settings.vocabulary} does not match its digest in the signed manifest: the bundle was changed after export.`);
  const lines = vocabularyBytes.toString("utf8").replace(/\n$/, "").split("\n"); // one token a line, id = line number
  const vocabulary = new Map(lines.map((t, id) => [t, id]));
  const special = settings.lowercase ? ["[pad]", "[unk]"] : ["[PAD]", "[UNK]"];
  special.forEach((token, id) => vocabulary.set(token, id)); // "[PAD]" in a text is id 0, "[UNK]" id 1, as on the server
  const cjk = (cp) => cp > 0x3400 && ((cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x4e00 && cp <= 0x9fff)
    || (cp >= 0x20000 && cp <= 0x2a6df) || (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f)
    || (cp >= 0x2b820 && cp <= 0x2ceaf) || (cp >= 0x2f800 && cp <= 0x2fa1f));
  const normalize = (text) => {
    let out = "";
    for (const c of text) {
      if (c === "\u0000" || c === "\ufffd" || /\p{Cc}/u.test(c)) continue;
      if (/\p{Zs}/u.test(c)) out += " ";
      else if (settings.lowercase && /\p{Lu}/u.test(c)) out += c === "\u0130" ? c : c.toLowerCase();
      else if (cjk(c.codePointAt(0))) out += ` ${c} `;
      else out += c;
    }
    return out.normalize("NFC");
  };
  // .NET's regex sees UTF-16 units, so a character beyond U+FFFF (a surrogate pair) is never part of a word
  const words = new RegExp(`${special.map((t) => t.replace(/[[\]]/g, "\\$&")).join("|")}|[[\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}]&&[\\0-\\uffff]]+|[\\p{P}&&[\\0-\\uffff]]`, "gv");
  return (text) => [...normalize(text).matchAll(words)].map(([word]) => (word.length > 100 ? 1 : vocabulary.get(word) ?? 1));
})();

const text = (value, index) => {
  if (typeof value !== "string") fail(`inputs[${index}] is not a text; this model takes texts: {"inputs": ["text", ...]}.`);
  if (value.trim() === "") fail(`inputs[${index}]: the text is empty; send at least one word.`);
  const ids = tokenizer(value);
  if (ids.length === 0) fail(`inputs[${index}] holds no words, only control or formatting characters; send text with at least one word.`);
  if (ids.every((id) => id === 1)) fail(`inputs[${index}]: none of its tokens is in the model's vocabulary; send text in the language and domain the model was trained on.`);
  const maxLength = preprocessing.tokenizer.max_length;
  const sample = new BigInt64Array(maxLength); // padded with 0, the vocabulary's [PAD]
  ids.slice(0, maxLength).forEach((id, i) => { sample[i] = BigInt(id); });
  return { sample, truncated: ids.length > maxLength };
};

const inputs = (file, bytes) => { // the predict body's form, or one line that says what is wrong
  const form = 'send {"inputs": [...]} as the API takes it, or PNG/JPEG files';
  let body;
  try {
    body = JSON.parse(bytes);
  } catch (error) {
    fail(`${file} is neither PNG, JPEG nor valid JSON (${error.message}); ${form}.`);
  }
  if (!Array.isArray(body?.inputs)) fail(`${file} has no "inputs" array; ${form}.`);
  return body.inputs;
};

const files = process.argv.slice(2).filter((a) => a !== "--int8");
if (files.length === 0) fail('Give a JSON file {"inputs": [...]} or, for an image model, PNG/JPEG files.');
const samples = [];
for (const file of files) {
  if (!existsSync(file)) fail(`${file} does not exist; give a JSON file or PNG/JPEG files.`);
  const bytes = readFileSync(file);
  const png = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (png || (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)) samples.push(await image(file, bytes)); // by content, as the server tells them
  else if (tokenizer) samples.push(...inputs(file, bytes).map((s, i) => text(s, samples.length + i)));
  else samples.push(...inputs(file, bytes).map((s) => (s !== null && typeof s === "object" && !Array.isArray(s) ? named(s) : s)));
}
const size = shape.reduce((a, b) => a * b, 1);
const data = tokenizer
  ? BigInt64Array.from(samples.flatMap((s) => Array.from(s.sample)))
  : Float32Array.from(samples.flatMap((s) => (s instanceof Float32Array ? Array.from(s) : [s].flat(Infinity))));
if (data.length !== samples.length * size) fail(`Each input must hold ${size} values (shape [${shape.join(", ")}]).`);
const tensor = new ort.Tensor(tokenizer ? "int64" : "float32", data, [samples.length, ...shape]);
const session = await ort.InferenceSession.create(model);
const output = (await session.run({ [spec.name]: tensor }))[session.outputNames[0]].data;
const width = output.length / samples.length;
const labels = manifest.signature.class_labels;
const predictions = samples.map((_, i) => {
  const row = Array.from(output.slice(i * width, (i + 1) * width));
  if (manifest.output_kind !== "probabilities") return { forecast: row };
  const best = row.indexOf(Math.max(...row));
  const answer = { label: labels[best], label_index: best, probabilities: Object.fromEntries(labels.map((l, j) => [l, row[j]])) };
  return tokenizer ? { ...answer, truncated: samples[i].truncated } : answer;
});
console.log(JSON.stringify({ predictions }));
