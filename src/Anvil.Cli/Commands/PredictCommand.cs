using System.CommandLine;
using System.Text;
using System.Text.Json;
using Anvil.Cli.Pipeline;
using Anvil.Registry;
using Anvil.Registry.Models;
using Anvil.Registry.Versions;
using Anvil.Serving;
using Anvil.Serving.Api;
using Anvil.Serving.Inference;
using Anvil.Serving.Inputs;
using Anvil.Training.Models;
using Anvil.Training.Runs;

namespace Anvil.Cli.Commands;

/// <summary>
/// `anvil predict RUN_OR_NAME --input FILE...`: a trained run or a registered model answers local files through ONNX
/// Runtime with the serving code's own input readers and answer — no key, server or metering.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(Registries registries, Func<Registry.Runs.IRunStore> openStore)
    {
        var target = new Argument<string>("model") { Description = "A run (id, prefix or name) or a registered model's name." };
        var inputs = new Option<string[]>("--input") { Description = "Input files: PNG/JPEG images, one JSON file in the predict body's form, a CSV with a header (named features) or text files.", Required = true, AllowMultipleArgumentsPerToken = true };
        var org = new Option<string?>("--org") { Description = "Organization of a registered model (needed when several have one of that name)." };
        var alias = new Option<string?>("--alias") { Description = "Alias of a registered model (default: champion)." };
        var version = new Option<int?>("--version") { Description = "Version of a registered model." };
        var command = new Command("predict", "Predict local files with a run or a registered model through ONNX Runtime, printing the server's answer as JSON.") { target, inputs, org, alias, version };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var (entry, files) = Open(registries, openStore, p.GetValue(target)!, p.GetValue(org), p.GetValue(alias), p.GetValue(version));
            using var predictor = new OnnxPredictor(files, threads: Environment.ProcessorCount);
            var input = ReadInputs(p.GetValue(inputs)!, files, predictor.SampleShape);
            var outputs = new float[input.Count * predictor.Outputs];
            predictor.Run(input.Samples, input.Count, outputs);
            var (response, _) = PredictResponses.Build("local", entry, files.Manifest, input, predictor.SampleShape, outputs);
            Console.WriteLine(JsonSerializer.Serialize(response, ApiJson.Options));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static (ModelVersion Entry, VerifiedModelVersion Files) Open(Registries registries, Func<Registry.Runs.IRunStore> openStore, string target, string? orgName, string? alias, int? version)
    {
        var owners = orgName is { } given ? [registries.Organizations.Get(given)]
            : registries.Organizations.List().Where(o => registries.Catalog.Find(o.Id, target) is not null).ToList();
        if (owners.Count > 1)
            throw new ArgumentException($"Organizations {string.Join(", ", owners.Select(o => o.Name))} each have a model '{target}'; name one with --org.");
        if (owners.Count == 1 && registries.Catalog.Find(owners[0].Id, target) is not null)
        {
            var entry = CompressVersion.Find(registries.Catalog, new CompressVersion.Selector(owners[0].Id, owners[0].Name, target, alias, version));
            using var verifier = ManifestSigner.OpenForVerification(registries.Home, Environment.GetEnvironmentVariable(ManifestSigner.PinnedKeyVariable));
            return (entry, registries.Catalog.OpenFiles(entry, verifier));
        }

        if (orgName is not null || alias is not null || version is not null)
            throw new ArgumentException($"Organization '{orgName ?? "?"}' has no model '{target}'; --org, --alias and --version go with a registered model (./anvil models list --org ORG).");
        var run = openStore().GetRun(target);
        if (run.Status != Registry.Runs.RunStatus.Finished)
            throw new ArgumentException($"Run {run.Id[..12]} ({run.Name}) is not finished; predict with a finished run or a registered model.");
        var files = new ModelRegistration(registries.Home, openStore(), registries.Catalog).Seal(run); // the same sealed folder register would make
        return (new ModelVersion("", "", run.Name, 0, files.Directory, files.Digest, run.Id, run.StartedAt), files);
    }

    private static ModelInput ReadInputs(string[] paths, VerifiedModelVersion files, IReadOnlyList<long> sampleShape)
    {
        var defaults = new ServingOptions();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"Input file '{path}' does not exist.");
        }

        var kinds = paths.Select(path => Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" or ".jpg" or ".jpeg" => "image",
            ".json" => "json",
            ".csv" => "csv",
            ".txt" => "text",
            var other => throw new ArgumentException($"'{path}' is a {(other.Length == 0 ? "file without an extension" : other + " file")}; give .png/.jpg images, one .json, one .csv or .txt texts."),
        }).Distinct().ToList();
        if (kinds.Count > 1)
            throw new ArgumentException($"The inputs mix {string.Join(" and ", kinds)} files; predict one kind at a time.");
        var tokenizer = VersionTokenizer.Open(files, sampleShape);
        try
        {
            return (kinds[0], tokenizer) switch
            {
                ("image", null) => ImageInputReader.Read([.. paths.Select(p => (ReadOnlyMemory<byte>)File.ReadAllBytes(p))], files.Manifest.Preprocessing, new ImageLimits(defaults.MaxImagePixels, defaults.MaxRequestPixels)),
                ("json", { } t) => TextInputReader.Read(Single(paths, "JSON"), t, defaults.MaxInputsPerRequest),
                ("json", null) => JsonInputReader.Read(Single(paths, "JSON"), sampleShape, defaults.MaxInputsPerRequest, files.Manifest.Preprocessing.Columns),
                ("text", { } t) => TextInputReader.Read(JsonSerializer.SerializeToUtf8Bytes(new { inputs = paths.Select(File.ReadAllText) }), t, defaults.MaxInputsPerRequest),
                ("csv", null) when files.Manifest.Preprocessing.Columns is not null => JsonInputReader.Read(CsvRows(Single(paths, "CSV")), sampleShape, defaults.MaxInputsPerRequest, files.Manifest.Preprocessing.Columns),
                _ => throw new ArgumentException($"This model takes {files.Manifest.Preprocessing.Kind}; {kinds[0]} files do not fit it ({Accepts(files.Manifest.Preprocessing)})."),
            };
        }
        catch (InputException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static string Accepts(ModelPreprocessing preprocessing) => preprocessing.Kind switch
    {
        "image" => "give PNG/JPEG images or a JSON file of pixel arrays",
        "tokens" => "give .txt files or a JSON file {\"inputs\": [\"text\", ...]}",
        _ when preprocessing.Columns is not null => "give a CSV with a header naming its columns or a JSON file",
        _ => "give a JSON file {\"inputs\": [...]}",
    };

    private static byte[] Single(string[] paths, string kind) =>
        paths.Length == 1 ? File.ReadAllBytes(paths[0]) : throw new ArgumentException($"Give one {kind} file (it may hold many inputs), not {paths.Length}.");

    /// <summary>A CSV with a header as the predict body's named features: <c>{"inputs": [{"age": "41", ...}]}</c>; an empty cell is null.</summary>
    private static byte[] CsvRows(byte[] csv)
    {
        var lines = Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2)
            throw new ArgumentException("The CSV needs a header row naming the columns and at least one row.");
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(line => line.Split(',')).Select((cells, i) => cells.Length == header.Length
            ? header.Zip(cells).ToDictionary(c => c.First, c => Cell(c.Second, i + 2, c.First))
            : throw new ArgumentException($"CSV row {i + 2} has {cells.Length} cells; the header has {header.Length}."));
        return JsonSerializer.SerializeToUtf8Bytes(new { inputs = rows });
    }

    private static double? Cell(string text, int row, string column) =>
        text.Length == 0 ? null
        : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"CSV row {row}, column '{column}': '{text}' is not a number; features are numbers like 41 or 0.5, or an empty cell for a missing value.");
}
