using Anvil.Registry.Models;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Bundles;

/// <summary>The bundle's README: what the model takes and answers, how to check the bundle, and how to run it.</summary>
internal static class BundleReadme
{
    public static string For(ModelManifest manifest, ModelVersion entry, bool int8)
    {
        var input = manifest.Signature.Inputs[0];
        var p = manifest.Preprocessing;
        var answers = manifest.OutputKind == "probabilities"
            ? $"class probabilities over {manifest.Signature.ClassLabels.Count} classes ({string.Join(", ", manifest.Signature.ClassLabels.Take(10))}{(manifest.Signature.ClassLabels.Count > 10 ? ", …" : "")})"
            : "values (a forecast in the data's unit)";
        var takes = p.Kind switch
        {
            "image" => $"images as raw 0–255 pixel arrays [{p.Channels}, {p.Height}, {p.Width}] (channels, height, width); the snippets also take PNG/JPEG files, converted as the server converts them ({(p.Channels == 1 ? "grey: BT.601 luma in float32" : "R, G, B planes")}, alpha ignored). The C# snippet resizes another size with the server's own call (SkiaSharp, bilinear); the Python and JavaScript snippets refuse an image that is not {p.Width}×{p.Height}, since their libraries' resizing differs from the server's",
            "series" => $"windows of {p.SequenceLength} steps in the data's own unit",
            "tokens" => $"token ids: the snippets take texts (`{{\"inputs\": [\"text\", ...]}}`) and tokenize them as the server does with `{p.Tokenizer!.Vocabulary}` ({(p.Tokenizer.Lowercase ? "lower-cased, " : "")}BERT-style words and punctuation, {p.Tokenizer.MaxLength} ids per text, longer texts truncated and said so in `truncated`): the C# snippet with the server's Microsoft.ML.Tokenizers, the JavaScript and Python ones with a port of it checked against it",
            _ => $"feature vectors of {input.Shape[^1]} raw values" + (p.Columns is { } columns ? $" in this column order: {string.Join(", ", columns.Select(c => c.Name))}, or as named features (`{{\"{columns[0].Name}\": 41}}`; a null or missing value takes the training fill, then the training bounds clip it, as the server does)" : ""),
        };
        return $$"""
            # {{entry.ModelName}} version {{entry.Version}} — an Anvil edge bundle

            Runs without Anvil on ONNX Runtime. `model.onnx` takes {{takes}} and answers {{answers}}.
            Normalisation (scale {{p.Scale}}, mean and std per channel or feature) is inside the graph: send raw values.
            Input `{{input.Name}}` {{input.Dtype}} [{{string.Join(", ", input.Shape)}}]; the first axis is the batch.
            {{(int8 ? "`int8/` holds the int8 version compressed from this one, with its own signed manifest; add `--int8` after the input file to run it.\n" : "")}}
            ## Check it
            `manifest.json` lists the SHA-256 of every file of the version and is signed (`manifest.sig`, ECDSA P-256
            over SHA-256, IEEE P1363 r‖s) by the registry's key, whose public half is `manifest-signing.pub.pem`.
            Every snippet below refuses to run when the signature or model.onnx's digest does not match.
            Compare the public key with the one your Anvil server trusts before you trust this folder.

            ## Run it
            Each prints `{"predictions": [...]}` with the fields the server answers (`label`, `label_index`,
            `probabilities`, or `forecast`) for input JSON in the API's own form{{(p.Kind == "image" ? " or PNG/JPEG files (several allowed, one prediction each)" : "")}};
            `input.example.json` is one all-zero input.

            ```bash
            dotnet run --project csharp -- input.example.json                      # .NET 10 SDK
            pip install onnxruntime numpy cryptography pillow && python3 python/predict.py input.example.json
            npm install --prefix js && node js/predict.mjs input.example.json      # Node.js 20.9+
            ```
            {{(p.Kind == "image" ? "\nFor example `node js/predict.mjs shirt.png shoe.jpg`. JPEG decoders differ between libraries (jpeg-js, for one, gives other pixels);\nthe C# snippet uses the server's SkiaSharp, the JavaScript one sharp (libjpeg-turbo, the same pixels as the server's),\nthe Python one Pillow (libjpeg-turbo in its wheels). Embedded colour profiles are ignored, as the server ignores them.\n" : "")}}

            No `.tflite` is made: ONNX is the portable format here, and ONNX Runtime runs it on Linux, Windows, macOS,
            Android, iOS and in browsers (onnxruntime-web).

            """;
    }
}
