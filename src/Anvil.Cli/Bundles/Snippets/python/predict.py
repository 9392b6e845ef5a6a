# python3 python/predict.py INPUT... [--int8]   (from the bundle folder; pip install onnxruntime numpy cryptography pillow)
# INPUT: a JSON file {"inputs": [...]} in the API's own form (texts for a text model), or PNG/JPEG files for an image model.
import hashlib, json, os, sys, unicodedata

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


settings = preprocessing.get("tokenizer")  # a text model: its tokenizer's settings
vocabulary = {}
if settings:
    vocabulary_bytes = read(settings["vocabulary"])
    if "sha256:" + hashlib.sha256(vocabulary_bytes).hexdigest() != manifest["files"][settings["vocabulary"]]:
        sys.exit(f"{settings['vocabulary']} does not match its digest in the signed manifest: the bundle was changed after export.")
    lines = vocabulary_bytes.decode("utf-8")
    vocabulary = {token: id for id, token in enumerate((lines[:-1] if lines.endswith("\n") else lines).split("\n"))}  # id = line number
    special = ["[pad]", "[unk]"] if settings["lowercase"] else ["[PAD]", "[UNK]"]
    vocabulary.update({token: id for id, token in enumerate(special)})  # "[PAD]" in a text is id 0, "[UNK]" id 1, as on the server

CJK = [(0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0x2F800, 0x2FA1F)]


def tokens(text):
    """The server's tokenizer (Microsoft.ML.Tokenizers' BertTokenizer as Anvil configures it), step by step: drop U+0000,
    U+FFFD and control characters (tabs and newlines too: "a\\nb" is one word "ab", as on the server), a space separator
    becomes " ", upper-case letters are lower-cased (when the model was trained so; U+0130 stays), CJK ideographs are
    set apart by spaces, then NFC; the words are runs of letters, non-spacing marks, digits and connectors, each
    punctuation mark is a word of its own (both only below U+10000), other characters (symbols, emoji) are dropped, and "[pad]"/"[unk]" (as
    cased) are their special tokens. A word is its vocabulary id, or [UNK] (1) when absent or over 100 UTF-16 units."""
    out = []
    for c in text:
        category = unicodedata.category(c)
        if c in "\x00\ufffd" or category == "Cc":
            continue
        if category == "Zs":
            out.append(" ")
        elif settings["lowercase"] and category == "Lu":
            out.append(c if c == "\u0130" else c.lower())
        elif ord(c) > 0x3400 and any(low <= ord(c) <= high for low, high in CJK):
            out.append(f" {c} ")
        else:
            out.append(c)
    normalized, ids, i = unicodedata.normalize("NFC", "".join(out)), [], 0
    # .NET's regex sees UTF-16 units, so a character beyond U+FFFF (a surrogate pair) is never part of a word
    word = lambda c: ord(c) <= 0xFFFF and (unicodedata.category(c)[0] == "L" or unicodedata.category(c) in ("Mn", "Nd", "Pc"))
    while i < len(normalized):
        end = i + 5 if normalized[i:i + 5] in special else i + 1
        if end == i + 1 and word(normalized[i]):
            while end < len(normalized) and word(normalized[end]):
                end += 1
        elif end == i + 1 and (unicodedata.category(normalized[i])[0] != "P" or ord(normalized[i]) > 0xFFFF):
            i += 1  # a symbol, emoji or space: no word
            continue
        piece = normalized[i:end]
        ids.append(1 if len(piece.encode("utf-16-le")) // 2 > 100 else vocabulary.get(piece, 1))
        i = end
    return ids


def text(value, index):
    if not isinstance(value, str):
        sys.exit(f'inputs[{index}] is not a text; this model takes texts: {{"inputs": ["text", ...]}}.')
    if not value.strip():
        sys.exit(f"inputs[{index}]: the text is empty; send at least one word.")
    ids = tokens(value)
    if not ids:
        sys.exit(f"inputs[{index}] holds no words, only control or formatting characters; send text with at least one word.")
    if all(id == 1 for id in ids):
        sys.exit(f"inputs[{index}]: none of its tokens is in the model's vocabulary; send text in the language and domain the model was trained on.")
    length = settings["max_length"]
    return np.asarray(ids[:length] + [0] * (length - min(length, len(ids))), dtype=np.int64), len(ids) > length  # padded with 0, [PAD]


def body(path, data):  # the predict body's form, or one line that says what is wrong
    form = 'send {"inputs": [...]} as the API takes it, or PNG/JPEG files'
    try:
        parsed = json.loads(data)
    except ValueError as error:
        sys.exit(f"{path} is neither PNG, JPEG nor valid JSON ({error}); {form}.")
    if not isinstance(parsed, dict) or not isinstance(parsed.get("inputs"), list):
        sys.exit(f'{path} has no "inputs" array; {form}.')
    return parsed["inputs"]


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
    elif settings:
        inputs += [text(s, len(inputs) + i) for i, s in enumerate(body(path, data))]
    else:
        inputs += [named(s) if isinstance(s, dict) else s for s in body(path, data)]
truncated = [sample[1] for sample in inputs] if settings else []
shape = [settings["max_length"]] if settings else spec["shape"][1:]  # a text axis may be symbolic in the graph
dtype = np.int64 if settings else np.float32
inputs = [sample[0] for sample in inputs] if settings else inputs
size = int(np.prod(shape))
if any(np.asarray(s, dtype=dtype).size != size for s in inputs):
    sys.exit(f"Each input must hold {size} values (shape {shape}).")
samples = np.stack([np.asarray(s, dtype=dtype).reshape(shape) for s in inputs])
output = ort.InferenceSession(model).run(None, {spec["name"]: samples})[0].reshape(len(samples), -1)
labels = manifest["signature"]["class_labels"]
predictions = []
for i, row in enumerate(output):
    if manifest["output_kind"] != "probabilities":
        predictions.append({"forecast": row.tolist()})
        continue
    best = int(row.argmax())
    predictions.append({"label": labels[best], "label_index": best, "probabilities": dict(zip(labels, row.tolist()))})
    if settings:
        predictions[-1]["truncated"] = truncated[i]
print(json.dumps({"predictions": predictions}))

