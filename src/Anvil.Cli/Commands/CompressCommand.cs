using System.CommandLine;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Runs;
using Anvil.Training.Compression;
using Spectre.Console;

namespace Anvil.Cli.Commands;

/// <summary>
/// `anvil compress RUN --method int8-dynamic|int8-static`: writes the run's model as int8 ONNX beside its
/// artifacts; `anvil compress --model NAME --org ORG [--version V | --alias A]` registers the int8 graph of a
/// version as the model's next version, with lineage. Both print accuracy, bytes and ONNX Runtime latency of the
/// float and the int8 model. `--method prune-channels` removes channels and fine-tunes the model as a new run
/// (<see cref="CompressPrune"/>).
/// </summary>
internal static class CompressCommand
{
    public static Command Create(Registries registries, Func<IRunStore> openStore)
    {
        var runArgument = new Argument<string?>("run") { Description = "Run id or unique prefix (see ./anvil runs list); or leave it out and pass --model.", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string?>("--model") { Description = "Registered model whose version is compressed into a new version (instead of RUN)." };
        var org = new Option<string?>("--org") { Description = "Organization that owns --model." };
        var alias = new Option<string?>("--alias") { Description = "With --model: compress the version this alias points at (default champion)." };
        var version = new Option<int?>("--version") { Description = "With --model: compress this version number." };
        var aliasTo = new Option<string?>("--alias-to") { Description = "With --model: point this alias at the new version (by default no alias moves)." };
        var method = new Option<string>("--method") { Description = "int8-dynamic (int8 weights, activations quantised at run time), int8-static (QDQ with activation ranges calibrated on training samples) prune-channels (structured pruning: narrower layers) or prune-magnitude (the smallest weights set to zero), each fine-tuned as a new run.", Required = true };
        method.AcceptOnlyFromAmong(CompressRun.Dynamic, CompressRun.Static, CompressPrune.Channels, CompressPrune.Magnitude);
        var calibration = new Option<int>("--calibration") { Description = "Training samples that calibrate int8-static's activation ranges (min/max).", DefaultValueFactory = _ => 256 };
        var fraction = new Option<double?>("--fraction") { Description = "Pruning: the share of each prunable layer's channels removed (prune-channels, default 0.5) or of all conv2d and dense weights set to zero (prune-magnitude, default 0.5)." };
        var fineTune = new Option<int?>("--fine-tune-epochs") { Description = "Pruning: epochs of fine-tuning after pruning, at a tenth of the run's learning rate (default 2)." };
        var distill = new Option<double?>("--distill-weight") { Description = "Pruning: the share of the fine-tuning loss taken from the unpruned source model's soft targets (distillation at temperature 4, the source as teacher); 0 fine-tunes on the labels alone (default 0.7)." };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of the figures on stdout." };
        var command = new Command("compress", "Quantise a trained run's model (or a registered version, into a new version) to int8 ONNX and compare it with the float model: test accuracy, file bytes, ONNX Runtime latency at batch 1 and 32.")
        {
            runArgument, model, org, alias, version, aliasTo, method, calibration, fraction, fineTune, distill, json,
        };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            using var recorder = new RegistryRunRecorder(openStore());
            var pruning = CompressPrune.Prunes(p.GetValue(method)!);
            if (!pruning && (p.GetValue(fraction) is not null || p.GetValue(fineTune) is not null || p.GetValue(distill) is not null))
                throw new ArgumentException("--fraction, --fine-tune-epochs and --distill-weight go with --method prune-channels or prune-magnitude; int8 methods take --calibration.");
            CompressPrune.Result? pruned = null;
            var options = new PruningOptions(CompressPrune.MethodOf(p.GetValue(method)!), p.GetValue(fraction) ?? 0.5, p.GetValue(fineTune) ?? 2, p.GetValue(distill) ?? 0.7);
            var figures = new Dictionary<string, object>();
            CompressMeasurement source, compressed;
            string where;
            if (p.GetValue(model) is { } name)
            {
                if (p.GetValue(runArgument) is not null || p.GetValue(org) is null || (p.GetValue(alias) is not null && p.GetValue(version) is not null))
                    throw new ArgumentException("compress takes either RUN or --model NAME --org ORG [--version V | --alias A], not both; --org is required with --model and --version excludes --alias.");
                var organization = registries.Organizations.Get(p.GetValue(org)!);
                var selector = new CompressVersion.Selector(organization.Id, organization.Name, name, p.GetValue(alias), p.GetValue(version));
                CompressVersion.Result r;
                if (pruning)
                    (r, pruned) = CompressVersion.Prune(registries, recorder, selector, p.GetValue(method)!, options, p.GetValue(aliasTo), Console.Error);
                else
                    r = CompressVersion.Compress(registries, recorder, selector, p.GetValue(method)!, p.GetValue(calibration), p.GetValue(aliasTo), Console.Error);
                (source, compressed) = (r.SourceFigures, r.CompressedFigures);
                where = $"Registered {r.Compressed.ModelName} version {r.Compressed.Version} ({r.Method} of version {r.Source.Version}): {r.Compressed.Directory}";
                figures["model"] = r.Compressed.ModelName;
                figures["source_version"] = r.Source.Version;
                figures["version"] = r.Compressed.Version;
                figures["run_id"] = r.Compressed.RunId ?? "";
                figures["path"] = r.Compressed.Directory;
            }
            else
            {
                var run = p.GetValue(runArgument)
                    ?? throw new ArgumentException("compress needs RUN (a run id or prefix) or --model NAME --org ORG; see ./anvil compress --help.");
                if (p.GetValue(org) is not null || p.GetValue(alias) is not null || p.GetValue(version) is not null || p.GetValue(aliasTo) is not null)
                    throw new ArgumentException("--org, --alias, --version and --alias-to go with --model NAME; compress RUN takes none of them.");
                if (pruning)
                {
                    var r = pruned = CompressPrune.Prune(recorder, run, options, Console.Error);
                    (source, compressed) = (r.Source, r.Compressed);
                    where = $"Pruned run {r.Pruned.RunId} (from {r.SourceRunId}): {r.Pruned.ArtifactsDir}; register it with ./anvil register {r.Pruned.RunId[..12]} --model NAME --org ORG";
                    figures["run_id"] = r.Pruned.RunId;
                    figures["source_run_id"] = r.SourceRunId;
                    figures["path"] = r.Pruned.ArtifactsDir;
                }
                else
                {
                    var r = CompressRun.Compress(recorder, run, p.GetValue(method)!, p.GetValue(calibration), Console.Error);
                    (source, compressed) = (r.Source, r.Compressed);
                    where = $"Written to {r.Path}";
                    figures["run_id"] = r.RunId;
                    figures["path"] = r.Path;
                }
            }
            var cpu = CompressCpu.Describe();
            new ConsoleTable(("model", Justify.Left), ("accuracy", Justify.Right), ("bytes", Justify.Right), ("ms b1", Justify.Right), ("ms b32", Justify.Right))
                .Add(Row(pruning ? "source" : "float32", source))
                .Add(Row(p.GetValue(method)!, compressed))
                .Write(Console.Out);
            Console.WriteLine($"Latency: ONNX Runtime CPU, median of repeated runs, CPU flags: {cpu}. {where}");
            if (pruned is not null)
                Console.WriteLine($"Parameters {pruned.SourceWeights.Parameters:N0} → {pruned.PrunedWeights.Parameters:N0}; zero conv2d and dense weights {pruned.SourceWeights.Sparsity:P1} → {pruned.PrunedWeights.Sparsity:P1}.");
            if (pruned is not null)
            {
                figures["source_parameters"] = pruned.SourceWeights.Parameters;
                figures["parameters"] = pruned.PrunedWeights.Parameters;
                figures["source_sparsity"] = pruned.SourceWeights.Sparsity;
                figures["sparsity"] = pruned.PrunedWeights.Sparsity;
            }
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(new Dictionary<string, object>(figures)
                {
                    ["method"] = p.GetValue(method)!,
                    ["speedup_b1"] = source.LatencyMsBatch1 / compressed.LatencyMsBatch1,
                    ["speedup_b32"] = source.LatencyMsBatch32 / compressed.LatencyMsBatch32,
                    ["cpu_flags"] = cpu,
                    ["source_accuracy"] = source.Accuracy,
                    ["accuracy"] = compressed.Accuracy,
                    ["source_bytes"] = source.Bytes,
                    ["bytes"] = compressed.Bytes,
                    ["source_latency_ms_b1"] = source.LatencyMsBatch1,
                    ["latency_ms_b1"] = compressed.LatencyMsBatch1,
                    ["source_latency_ms_b32"] = source.LatencyMsBatch32,
                    ["latency_ms_b32"] = compressed.LatencyMsBatch32,
                }));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string[] Row(string name, CompressMeasurement m) =>
        [name, $"{m.Accuracy:P2}", $"{m.Bytes}", $"{m.LatencyMsBatch1:F3}", $"{m.LatencyMsBatch32:F3}"];
}
