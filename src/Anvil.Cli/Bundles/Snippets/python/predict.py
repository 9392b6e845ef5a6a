# python3 python/predict.py INPUT... [--int8]   (from the bundle folder; pip install onnxruntime numpy cryptography pillow)
# INPUT: a JSON file {"inputs": [...]} in the API's own form, or PNG/JPEG files for an image model.
import hashlib, json, os, sys

import numpy as np
import onnxruntime as ort
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from PIL import Image

bundle = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
folder = os.path.join(bundle, "int8") if "--int8" in sys.argv[1:] else bundle  # the int8 version has its own signed manifest
read = lambda name: open(os.path.join(folder, name), "rb").read()
manifest_bytes, signature = read("manifest.json"), read("manifest.sig")
key = serialization.load_pem_public_key(open(os.path.join(bundle, "manifest-signing.pub.pem"), "rb").read())
half = len(signature) // 2  # IEEE P1363: r || s
der = utils.encode_dss_signature(int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big"))
try:
    key.verify(der, manifest_bytes, ec.ECDSA(hashes.SHA256()))
except InvalidSignature:
    sys.exit("manifest.json does not match manifest.sig: the bundle was changed after export.")
manifest = json.loads(manifest_bytes)
model = read("model.onnx")
if "sha256:" + hashlib.sha256(model).hexdigest() != manifest["files"]["model.onnx"]:
    sys.exit("model.onnx does not match its digest in the signed manifest: the bundle was changed after export.")

columns = manifest["preprocessing"].get("columns") or []  # a model trained on a CSV file: named features


def named(row):  # a null or missing value takes the fitted fill, then the fitted bounds clip it, as the server does
    unknown = set(row) - {c["name"] for c in columns}
    if unknown:
        sys.exit(f"The model has no feature {sorted(unknown)[0]!r}; its features are {', '.join(c['name'] for c in columns)}.")
    values = []
    for c in columns:
        value = row.get(c["name"])
        value = c.get("fill") if value is None else value
        if value is None:
            sys.exit(f"Feature {c['name']!r} is missing and the model has no fill for it; send a value.")
        if c.get("lower") is not None:
            value = max(value, c["lower"])
        if c.get("upper") is not None:
            value = min(value, c["upper"])
        values.append(value)
    return values


preprocessing = manifest["preprocessing"]


def image(path):
    """The server's image path: 8-bit RGBA (alpha ignored), then one grey plane (BT.601 luma computed in float32, as
    the server does) or planes R, G, B of raw 0-255 values (scale, mean and std are inside model.onnx). The server
    resizes other sizes with SkiaSharp's bilinear filter, which this snippet does not reproduce: it refuses them."""
    if preprocessing["kind"] != "image":
        sys.exit(f"{path} is an image; this model takes {preprocessing['kind']}: give a JSON file {{\"inputs\": [...]}}.")
    channels, height, width = preprocessing["channels"], preprocessing["height"], preprocessing["width"]
    try:
        picture = Image.open(path)
        picture.load()
    except OSError as error:
        sys.exit(f"{path} could not be decoded ({error}); the file is damaged.")
    if picture.mode in ("I", "I;16", "I;16B", "F"):
        sys.exit(f"{path} is a 16-bit PNG; save it with 8 bits per channel, or send it to the server.")
    if picture.size != (width, height):
        sys.exit(f"{path} is {picture.width}×{picture.height}; this model takes {width}×{height} images. Resize it first, or use the C# snippet or the server, which resize it.")
    rgb = np.asarray(picture.convert("RGBA"), dtype=np.float32)[:, :, :3].transpose(2, 0, 1)  # (3, H, W)
    if channels == 3:
        return rgb
    r, g, b = rgb
    return ((np.float32(0.299) * r + np.float32(0.587) * g) + np.float32(0.114) * b)[None]  # (1, H, W), float32 throughout


spec = manifest["signature"]["inputs"][0]
paths = [a for a in sys.argv[1:] if a != "--int8"]
if not paths:
    sys.exit('Give a JSON file {"inputs": [...]} or, for an image model, PNG/JPEG files.')
inputs = []
for path in paths:
    if not os.path.isfile(path):
        sys.exit(f"{path} does not exist; give a JSON file or PNG/JPEG files.")
    data = open(path, "rb").read()
    if data[:4] == b"\x89PNG" or data[:3] == b"\xff\xd8\xff":  # by content, as the server tells them
        inputs.append(image(path))
    else:
        inputs += [named(s) if isinstance(s, dict) else s for s in json.loads(data)["inputs"]]
size = int(np.prod(spec["shape"][1:]))
if any(np.asarray(s, dtype=np.float32).size != size for s in inputs):
    sys.exit(f"Each input must hold {size} values (shape {spec['shape'][1:]}).")
samples = np.stack([np.asarray(s, dtype=np.float32).reshape(spec["shape"][1:]) for s in inputs])
output = ort.InferenceSession(model).run(None, {spec["name"]: samples})[0].reshape(len(samples), -1)
labels = manifest["signature"]["class_labels"]
predictions = []
for row in output:
    if manifest["output_kind"] != "probabilities":
        predictions.append({"forecast": row.tolist()})
        continue
    best = int(row.argmax())
    predictions.append({"label": labels[best], "label_index": best, "probabilities": dict(zip(labels, row.tolist()))})
print(json.dumps({"predictions": predictions}))

