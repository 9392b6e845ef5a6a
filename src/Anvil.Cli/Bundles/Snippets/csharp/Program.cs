// dotnet run --project csharp -- INPUT... [--int8]   (from the bundle folder; --int8 runs int8/model.onnx)
// INPUT: a JSON file {"inputs": [...]} in the API's own form (texts for a text model), or PNG/JPEG files for an image model.
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;
using SkiaSharp;

var bundle = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
if (!File.Exists(Path.Combine(bundle, "manifest.json"))) bundle = Directory.GetCurrentDirectory();
var folder = args.Contains("--int8") ? Path.Combine(bundle, "int8") : bundle; // the int8 version has its own signed manifest
var manifestBytes = File.ReadAllBytes(Path.Combine(folder, "manifest.json"));
using var key = ECDsa.Create();
key.ImportFromPem(File.ReadAllText(Path.Combine(bundle, "manifest-signing.pub.pem")));
if (!key.VerifyData(manifestBytes, File.ReadAllBytes(Path.Combine(folder, "manifest.sig")), HashAlgorithmName.SHA256))
    throw Fail("manifest.json does not match manifest.sig: the bundle was changed after export.");
var manifest = JsonNode.Parse(manifestBytes)!;
var model = File.ReadAllBytes(Path.Combine(folder, "model.onnx"));
if ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(model)) != (string?)manifest["files"]!["model.onnx"])
    throw Fail("model.onnx does not match its digest in the signed manifest: the bundle was changed after export.");

var input = manifest["signature"]!["inputs"]![0]!;
var shape = input["shape"]!.AsArray().Skip(1).Select(d => (int)d!).ToArray();
var size = shape.Aggregate(1, (a, b) => a * b);
var preprocessing = manifest["preprocessing"]!;
var columns = preprocessing["columns"]?.AsArray(); // a model trained on a CSV file: named features
var values = new List<float>();
var ids = new List<long>(); // a text model's token ids
var truncated = new List<bool>();
var settings = preprocessing["tokenizer"];
var tokenizer = settings is null ? null : Tokenizer();
if (settings is not null) shape = [(int)settings["max_length"]!]; // the graph may name the text axis symbolically
var count = 0;
var files = args.Where(a => a != "--int8").ToArray();
if (files.Length == 0) throw Fail("Give a JSON file {\"inputs\": [...]} or, for an image model, PNG/JPEG files.");
foreach (var file in files)
{
    if (!File.Exists(file)) throw Fail($"{file} does not exist; give a JSON file or PNG/JPEG files.");
    var bytes = File.ReadAllBytes(file);
    if (bytes is [0x89, 0x50, 0x4E, 0x47, ..] or [0xFF, 0xD8, 0xFF, ..]) // PNG or JPEG by content, as the server tells them
    {
        Image(file, bytes);
        count++;
        continue;
    }

    var samples = Inputs(file, bytes);
    foreach (var sample in samples)
    {
        if (tokenizer is null) Flatten(sample!);
        else Text(sample, count);
        count++;
    }
}
if (tokenizer is null && values.Count != count * size) throw Fail($"Each input must hold {size} values (shape [{string.Join(", ", shape)}]).");

using var session = new InferenceSession(model);
var feed = tokenizer is null
    ? NamedOnnxValue.CreateFromTensor((string)input["name"]!, new DenseTensor<float>(values.ToArray(), [count, .. shape]))
    : NamedOnnxValue.CreateFromTensor((string)input["name"]!, new DenseTensor<long>(ids.ToArray(), [count, .. shape]));
using var results = session.Run([feed]);
var output = results[0].AsEnumerable<float>().ToArray();
var width = output.Length / count;
var labels = manifest["signature"]!["class_labels"]!.AsArray().Select(l => (string)l!).ToArray();
var predictions = Enumerable.Range(0, count).Select(i =>
{
    var row = output.AsSpan(i * width, width).ToArray();
    if ((string?)manifest["output_kind"] != "probabilities") return (object)new { forecast = row };
    var best = Array.IndexOf(row, row.Max());
    var probabilities = labels.Select((l, j) => (l, j)).ToDictionary(p => p.l, p => row[p.j]);
    return tokenizer is null
        ? new { label = labels[best], label_index = best, probabilities }
        : (object)new { label = labels[best], label_index = best, probabilities, truncated = truncated[i] };
});
Console.WriteLine(JsonSerializer.Serialize(new { predictions }));
return 0;

JsonArray Inputs(string file, byte[] bytes) // the predict body's form, or one line that says what is wrong
{
    const string Form = "send {\"inputs\": [...]} as the API takes it, or PNG/JPEG files";
    try
    {
        return JsonNode.Parse(bytes)?["inputs"] as JsonArray ?? throw Fail($"{file} has no \"inputs\" array; {Form}.");
    }
    catch (System.Text.Json.JsonException e)
    {
        throw Fail($"{file} is neither PNG, JPEG nor valid JSON ({e.Message}); {Form}.");
    }
}

void Flatten(JsonNode node) { if (node is JsonObject o) Named(o); else if (node is JsonArray a) foreach (var n in a) Flatten(n!); else values.Add((float)node); }

void Named(JsonObject row) // {"age": 41, "income": null}: a null or missing value takes the fitted fill, then the fitted bounds clip it, as the server does
{
    if (columns is null) throw Fail("This model takes arrays of numbers, not named features.");
    var names = columns.Select(c => (string)c!["name"]!).ToList();
    if (row.Select(p => p.Key).Except(names).FirstOrDefault() is { } unknown)
        throw Fail($"The model has no feature '{unknown}'; its features are {string.Join(", ", names)}.");
    foreach (var column in columns)
    {
        var name = (string)column!["name"]!;
        var value = (double?)row[name] ?? (double?)column["fill"] ?? throw Fail($"Feature '{name}' is missing and the model has no fill for it; send a value.");
        if ((double?)column["lower"] is { } lower) value = Math.Max(value, lower);
        if ((double?)column["upper"] is { } upper) value = Math.Min(value, upper);
        values.Add((float)value);
    }
}

// The server's image path (SkiaSharp): decoded to 8-bit RGBA (alpha ignored), resized bilinearly to the model's
// size when it differs, then one grey plane (BT.601 luma in float32) or planes R, G, B of raw 0–255 values
// (scale, mean and std are inside model.onnx).
void Image(string file, byte[] bytes)
{
    if ((string?)preprocessing["kind"] != "image") throw Fail($"{file} is an image; this model takes {preprocessing["kind"]}: give a JSON file {{\"inputs\": [...]}}.");
    var (channels, height, width) = ((int)preprocessing["channels"]!, (int)preprocessing["height"]!, (int)preprocessing["width"]!);
    using var data = SKData.CreateCopy(bytes);
    using var codec = SKCodec.Create(data);
    if (codec?.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg)) throw Fail($"{file} is not a PNG or JPEG file.");
    var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
    using var decoded = new SKBitmap(info);
    if (codec.GetPixels(info, decoded.GetPixels()) != SKCodecResult.Success) throw Fail($"{file} is truncated or damaged; send the whole file.");
    using var resized = decoded.Width == width && decoded.Height == height ? null
        : decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    var bitmap = resized ?? decoded;
    var rgba = bitmap.GetPixelSpan();
    var sample = new float[channels * height * width];
    var plane = height * width;
    for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var p = (y * bitmap.RowBytes) + (x * 4);
            var (r, g, b) = (rgba[p], rgba[p + 1], rgba[p + 2]);
            var at = (y * width) + x;
            if (channels == 1) { sample[at] = (0.299f * r) + (0.587f * g) + (0.114f * b); continue; }
            (sample[at], sample[plane + at], sample[(2 * plane) + at]) = (r, g, b);
        }
    values.AddRange(sample);
}

// The server's tokenizer: Microsoft.ML.Tokenizers' BERT normalizer, pre-tokenizer and WordPiece over the version's
// vocabulary (whole words; id = line number), max_length ids per text, padded with 0 (the vocabulary's [PAD]).
BertTokenizer Tokenizer()
{
    var vocabulary = File.ReadAllBytes(Path.Combine(folder, (string)settings["vocabulary"]!));
    if ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(vocabulary)) != (string?)manifest["files"]![(string)settings["vocabulary"]!])
        throw Fail($"{settings["vocabulary"]} does not match its digest in the signed manifest: the bundle was changed after export.");
    return BertTokenizer.Create(new MemoryStream(vocabulary), new BertOptions
    {
        LowerCaseBeforeTokenization = (bool)settings["lowercase"]!,
        UnknownToken = "[UNK]", PaddingToken = "[PAD]", MaxInputCharsPerWord = 100,
        ClassificationToken = "[UNK]", SeparatorToken = "[UNK]", MaskingToken = "[UNK]", // never added; the library wants them in the vocabulary
    });
}

void Text(JsonNode? node, int index)
{
    if (node is not JsonValue value || !value.TryGetValue<string>(out var text)) throw Fail($"inputs[{index}] is not a text; this model takes texts: {{\"inputs\": [\"text\", ...]}}.");
    if (string.IsNullOrWhiteSpace(text)) throw Fail($"inputs[{index}]: the text is empty; send at least one word.");
    var maxLength = (int)settings!["max_length"]!;
    var encoded = tokenizer!.EncodeToIds(text, maxLength + 1, addSpecialTokens: false, out _, out _);
    if (encoded.Count == 0) throw Fail($"inputs[{index}] holds no words, only control or formatting characters; send text with at least one word.");
    if (encoded.All(id => id == 1)) throw Fail($"inputs[{index}]: none of its tokens is in the model's vocabulary; send text in the language and domain the model was trained on.");
    truncated.Add(encoded.Count > maxLength);
    ids.AddRange(encoded.Take(maxLength).Select(id => (long)id));
    ids.AddRange(Enumerable.Repeat(0L, maxLength - Math.Min(maxLength, encoded.Count)));
}

static Exception Fail(string message) // one line, no stack trace
{
    Console.Error.WriteLine(message);
    Environment.Exit(1);
    return new InvalidOperationException(message);
}
