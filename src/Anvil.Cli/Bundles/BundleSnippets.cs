using System.Text.Json;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Bundles;

/// <summary>
/// The runnable snippets of a bundle. Each one reads manifest.json at run time (input name and shape, class
/// labels, output kind), refuses the bundle unless the ECDSA P-256 signature over manifest.json verifies with
/// the bundled public key and model.onnx matches its SHA-256 in the manifest, then runs input JSON in the
/// API's own form (<c>{"inputs": [...]}</c>, raw values: normalisation is inside model.onnx; named features of a
/// CSV-trained model filled and clipped as the server does) and prints the
/// server's answer fields: label, label_index and probabilities, or forecast.
/// </summary>
internal static class BundleSnippets
{
    public static IEnumerable<(string Path, string Content)> Files() =>
    [
        ("csharp/Predict.csproj", CSharpProject),
        ("csharp/Program.cs", CSharpProgram),
        ("python/predict.py", Python),
        ("js/package.json", JsPackage),
        ("js/predict.mjs", Js),
    ];

    /// <summary>One all-zero sample of the model's input shape, in the predict body's form.</summary>
    public static string ExampleInput(ModelManifest manifest)
    {
        var shape = manifest.Signature.Inputs[0].Shape.Skip(1).Select(d => (int)d).ToArray();
        object Zeros(int axis) => axis == shape.Length - 1 ? new float[shape[axis]] : Enumerable.Range(0, shape[axis]).Select(_ => Zeros(axis + 1)).ToArray();
        return JsonSerializer.Serialize(new { inputs = new[] { Zeros(0) } }) + "\n";
    }

    private const string CSharpProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />
          </ItemGroup>
        </Project>

        """;

    private const string CSharpProgram = """
        // dotnet run --project csharp -- input.json [--int8]   (from the bundle folder; --int8 runs int8/model.onnx)
        using System.Security.Cryptography;
        using System.Text.Json;
        using System.Text.Json.Nodes;
        using Microsoft.ML.OnnxRuntime;
        using Microsoft.ML.OnnxRuntime.Tensors;

        var bundle = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
        if (!File.Exists(Path.Combine(bundle, "manifest.json"))) bundle = Directory.GetCurrentDirectory();
        var folder = args.Contains("--int8") ? Path.Combine(bundle, "int8") : bundle; // the int8 version has its own signed manifest
        var manifestBytes = File.ReadAllBytes(Path.Combine(folder, "manifest.json"));
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(bundle, "manifest-signing.pub.pem")));
        if (!key.VerifyData(manifestBytes, File.ReadAllBytes(Path.Combine(folder, "manifest.sig")), HashAlgorithmName.SHA256))
            throw new InvalidDataException("manifest.json does not match manifest.sig: the bundle was changed after export.");
        var manifest = JsonNode.Parse(manifestBytes)!;
        var model = File.ReadAllBytes(Path.Combine(folder, "model.onnx"));
        if ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(model)) != (string?)manifest["files"]!["model.onnx"])
            throw new InvalidDataException("model.onnx does not match its digest in the signed manifest: the bundle was changed after export.");

        var input = manifest["signature"]!["inputs"]![0]!;
        var shape = input["shape"]!.AsArray().Skip(1).Select(d => (int)d!).ToArray();
        var size = shape.Aggregate(1, (a, b) => a * b);
        var samples = JsonNode.Parse(File.ReadAllText(args[0]))!["inputs"]!.AsArray();
        var columns = manifest["preprocessing"]!["columns"]?.AsArray(); // a model trained on a CSV file: named features
        var values = new List<float>();
        void Flatten(JsonNode node) { if (node is JsonObject o) Named(o); else if (node is JsonArray a) foreach (var n in a) Flatten(n!); else values.Add((float)node); }
        void Named(JsonObject row) // {"age": 41, "income": null}: a null or missing value takes the fitted fill, then the fitted bounds clip it, as the server does
        {
            if (columns is null) throw new ArgumentException("This model takes arrays of numbers, not named features.");
            var names = columns.Select(c => (string)c!["name"]!).ToList();
            if (row.Select(p => p.Key).Except(names).FirstOrDefault() is { } unknown)
                throw new ArgumentException($"The model has no feature '{unknown}'; its features are {string.Join(", ", names)}.");
            foreach (var column in columns)
            {
                var name = (string)column!["name"]!;
                var value = (double?)row[name] ?? (double?)column["fill"] ?? throw new ArgumentException($"Feature '{name}' is missing and the model has no fill for it; send a value.");
                if ((double?)column["lower"] is { } lower) value = Math.Max(value, lower);
                if ((double?)column["upper"] is { } upper) value = Math.Min(value, upper);
                values.Add((float)value);
            }
        }
        foreach (var sample in samples) Flatten(sample!);
        if (values.Count != samples.Count * size) throw new ArgumentException($"Each input must hold {size} values (shape [{string.Join(", ", shape)}]).");

        using var session = new InferenceSession(model);
        var tensor = new DenseTensor<float>(values.ToArray(), [samples.Count, .. shape]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor((string)input["name"]!, tensor)]);
        var output = results[0].AsEnumerable<float>().ToArray();
        var width = output.Length / samples.Count;
        var labels = manifest["signature"]!["class_labels"]!.AsArray().Select(l => (string)l!).ToArray();
        var predictions = Enumerable.Range(0, samples.Count).Select(i =>
        {
            var row = output.AsSpan(i * width, width).ToArray();
            if ((string?)manifest["output_kind"] != "probabilities") return (object)new { forecast = row };
            var best = Array.IndexOf(row, row.Max());
            return new { label = labels[best], label_index = best, probabilities = labels.Select((l, j) => (l, j)).ToDictionary(p => p.l, p => row[p.j]) };
        });
        Console.WriteLine(JsonSerializer.Serialize(new { predictions }));

        """;

    private const string Python = """
        # python3 python/predict.py input.json [--int8]   (from the bundle folder; pip install onnxruntime numpy cryptography)
        import hashlib, json, os, sys

        import numpy as np
        import onnxruntime as ort
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec, utils

        bundle = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        folder = os.path.join(bundle, "int8") if "--int8" in sys.argv[2:] else bundle  # the int8 version has its own signed manifest
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


        spec = manifest["signature"]["inputs"][0]
        inputs = [named(s) if isinstance(s, dict) else s for s in json.load(open(sys.argv[1]))["inputs"]]
        samples = np.asarray(inputs, dtype=np.float32).reshape([-1] + spec["shape"][1:])
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

        """;

    private const string JsPackage = """
        {
          "name": "anvil-bundle-predict",
          "private": true,
          "type": "module",
          "dependencies": { "onnxruntime-node": "1.30.0" }
        }

        """;

    private const string Js = """
        // node js/predict.mjs input.json [--int8]   (from the bundle folder; npm install --prefix js first)
        import { createHash, createPublicKey, verify } from "node:crypto";
        import { readFileSync } from "node:fs";
        import { dirname, join } from "node:path";
        import { fileURLToPath } from "node:url";
        import ort from "onnxruntime-node";

        const bundle = join(dirname(fileURLToPath(import.meta.url)), "..");
        const folder = process.argv.slice(3).includes("--int8") ? join(bundle, "int8") : bundle; // the int8 version has its own signed manifest
        const read = (name) => readFileSync(join(folder, name));
        const manifestBytes = read("manifest.json");
        const key = createPublicKey(readFileSync(join(bundle, "manifest-signing.pub.pem")));
        if (!verify("sha256", manifestBytes, { key, dsaEncoding: "ieee-p1363" }, read("manifest.sig"))) {
          console.error("manifest.json does not match manifest.sig: the bundle was changed after export.");
          process.exit(1);
        }
        const manifest = JSON.parse(manifestBytes);
        const model = read("model.onnx");
        if ("sha256:" + createHash("sha256").update(model).digest("hex") !== manifest.files["model.onnx"]) {
          console.error("model.onnx does not match its digest in the signed manifest: the bundle was changed after export.");
          process.exit(1);
        }

        const spec = manifest.signature.inputs[0];
        const shape = spec.shape.slice(1);
        const columns = manifest.preprocessing.columns ?? []; // a model trained on a CSV file: named features
        const fail = (message) => { console.error(message); process.exit(1); };
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
        const samples = JSON.parse(readFileSync(process.argv[2])).inputs.map((s) => (s !== null && typeof s === "object" && !Array.isArray(s) ? named(s) : s));
        const values = Float32Array.from(samples.flat(Infinity));
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

        """;
}
