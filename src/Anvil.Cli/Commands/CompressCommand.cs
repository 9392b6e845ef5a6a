using System.CommandLine;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Runs;

namespace Anvil.Cli.Commands;

/// <summary>
/// `anvil compress RUN --method int8-dynamic|int8-static`: writes the run's model as int8 ONNX beside its
/// artifacts and prints accuracy, bytes and ONNX Runtime latency of the float and the int8 model.
/// </summary>
internal static class CompressCommand
{
    public static Command Create(Func<IRunStore> openStore)
    {
        var runArgument = new Argument<string>("run") { Description = "Run id or unique prefix (see ./anvil runs list)." };
        var method = new Option<string>("--method") { Description = "int8-dynamic (int8 weights, activations quantised at run time) or int8-static (QDQ with activation ranges calibrated on training samples).", Required = true };
        method.AcceptOnlyFromAmong(CompressRun.Dynamic, CompressRun.Static);
        var calibration = new Option<int>("--calibration") { Description = "Training samples that calibrate int8-static's activation ranges (min/max).", DefaultValueFactory = _ => 256 };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of the figures on stdout." };
        var command = new Command("compress", "Quantise a trained run's model to int8 ONNX (written beside its artifacts) and compare it with the float model: test accuracy, file bytes, ONNX Runtime latency at batch 1 and 32.");
        command.Arguments.Add(runArgument);
        command.Options.Add(method);
        command.Options.Add(calibration);
        command.Options.Add(json);
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var r = CompressRun.Compress(new RegistryRunRecorder(openStore()), p.GetValue(runArgument)!, p.GetValue(method)!, p.GetValue(calibration), Console.Error);
            var cpu = CompressCpu.Describe();
            Console.WriteLine($"{"model",-14} {"accuracy",9} {"bytes",10} {"ms b1",8} {"ms b32",8}");
            Print("float32", r.Source);
            Print(r.Method, r.Compressed);
            Console.WriteLine($"Latency: ONNX Runtime CPU, median of repeated runs, CPU flags: {cpu}. Written to {r.Path}");
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(new Dictionary<string, object>
                {
                    ["run_id"] = r.RunId,
                    ["method"] = r.Method,
                    ["path"] = r.Path,
                    ["cpu_flags"] = cpu,
                    ["source_accuracy"] = r.Source.Accuracy,
                    ["accuracy"] = r.Compressed.Accuracy,
                    ["source_bytes"] = r.Source.Bytes,
                    ["bytes"] = r.Compressed.Bytes,
                    ["source_latency_ms_b1"] = r.Source.LatencyMsBatch1,
                    ["latency_ms_b1"] = r.Compressed.LatencyMsBatch1,
                    ["source_latency_ms_b32"] = r.Source.LatencyMsBatch32,
                    ["latency_ms_b32"] = r.Compressed.LatencyMsBatch32,
                }));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(string name, CompressMeasurement m) =>
        Console.WriteLine($"{name,-14} {m.Accuracy,9:P2} {m.Bytes,10} {m.LatencyMsBatch1,8:F3} {m.LatencyMsBatch32,8:F3}");
}
