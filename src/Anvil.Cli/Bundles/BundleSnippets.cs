using System.Text.Json;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Bundles;

/// <summary>
/// The runnable snippets of a bundle, kept as real source files in <c>Bundles/Snippets/</c> and embedded in the
/// CLI. Each one reads manifest.json at run time (input name and shape, preprocessing, class labels, output kind),
/// refuses the bundle unless the ECDSA P-256 signature over manifest.json verifies with the bundled public key and
/// model.onnx matches its SHA-256 in the manifest, then runs input JSON in the API's own form
/// (<c>{"inputs": [...]}</c>, raw values: normalisation is inside model.onnx; named features of a CSV-trained model
/// filled and clipped as the server does) or PNG/JPEG files of an image model (decoded and converted as the server
/// does; the C# one resizes with the server's SkiaSharp call, the others refuse another size), and prints the
/// server's answer fields: label, label_index and probabilities, or forecast.
/// </summary>
internal static class BundleSnippets
{
    private static readonly string[] Paths = ["csharp/Predict.csproj", "csharp/Program.cs", "python/predict.py", "js/package.json", "js/predict.mjs"];

    public static IEnumerable<(string Path, string Content)> Files() => Paths.Select(path => (path, Read(path)));

    /// <summary>One all-zero sample of the model's input shape (a text model: one text), in the predict body's form.</summary>
    public static string ExampleInput(ModelManifest manifest)
    {
        if (manifest.Preprocessing.Kind == "tokens")
            return JsonSerializer.Serialize(new { inputs = new[] { "Meeting moved to noon, see you there" } }) + "\n";
        var shape = manifest.Signature.Inputs[0].Shape.Skip(1).Select(d => (int)d).ToArray();
        object Zeros(int axis) => axis == shape.Length - 1 ? new float[shape[axis]] : Enumerable.Range(0, shape[axis]).Select(_ => Zeros(axis + 1)).ToArray();
        return JsonSerializer.Serialize(new { inputs = new[] { Zeros(0) } }) + "\n";
    }

    private static string Read(string path)
    {
        using var stream = typeof(BundleSnippets).Assembly.GetManifestResourceStream("Snippets/" + path)
            ?? throw new InvalidOperationException($"The CLI was built without its bundle snippet {path} (an EmbeddedResource of Anvil.Cli.csproj).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
