// node js/predict.mjs INPUT... [--int8]   (from the bundle folder; npm install --prefix js first)
// INPUT: a JSON file {"inputs": [...]} in the API's own form, or PNG/JPEG files for an image model.
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
const shape = spec.shape.slice(1);
const preprocessing = manifest.preprocessing;
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

const files = process.argv.slice(2).filter((a) => a !== "--int8");
if (files.length === 0) fail('Give a JSON file {"inputs": [...]} or, for an image model, PNG/JPEG files.');
const samples = [];
for (const file of files) {
  if (!existsSync(file)) fail(`${file} does not exist; give a JSON file or PNG/JPEG files.`);
  const bytes = readFileSync(file);
  const png = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (png || (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)) samples.push(await image(file, bytes)); // by content, as the server tells them
  else samples.push(...JSON.parse(bytes).inputs.map((s) => (s !== null && typeof s === "object" && !Array.isArray(s) ? named(s) : s)));
}
const values = Float32Array.from(samples.flatMap((s) => (s instanceof Float32Array ? Array.from(s) : [s].flat(Infinity))));
const size = shape.reduce((a, b) => a * b, 1);
if (values.length !== samples.length * size) fail(`Each input must hold ${size} values (shape [${shape.join(", ")}]).`);
const session = await ort.InferenceSession.create(model);
const output = (await session.run({ [spec.name]: new ort.Tensor("float32", values, [samples.length, ...shape]) }))[session.outputNames[0]].data;
const width = output.length / samples.length;
const labels = manifest.signature.class_labels;
const predictions = samples.map((_, i) => {
  const row = Array.from(output.slice(i * width, (i + 1) * width));
  if (manifest.output_kind !== "probabilities") return { forecast: row };
  const best = row.indexOf(Math.max(...row));
  return { label: labels[best], label_index: best, probabilities: Object.fromEntries(labels.map((l, j) => [l, row[j]])) };
});
console.log(JSON.stringify({ predictions }));
