using System.Text.Json;
using Anvil.Bench;

// One measurement per process, printed as one JSON line; bench/run.sh runs them side by side.
//   trainer  — Anvil's Trainer on seed-cnn (Adam, batch 64), one epoch of Fashion-MNIST
//   bare     — the same network and step in a plain TorchSharp loop
//   transfer — the resnet-18 of samples/transfer, one epoch of 1,000 RGB 64x64 images (bench/pytorch_transfer.py)
//   default  — one epoch of the default recipe's model, for achieved GFLOP/s
//   ledger   — the registry calls on the path of one prediction, timed alone (bench/serve.sh)
//   ort DIR BATCH SECONDS — in-process ONNX Runtime on a registered model version (bench/serve.sh)
//   bare-serve DIR URL — a bare ASP.NET Core endpoint on the same predictor, until killed (bench/serve.sh)
//   audit SAMPLES SEED RECIPE EPOCHS — the data audit against 5% flipped labels (bench/audit.sh)
//   dashboard [REQUESTS [URL]] — every /ui page's latency with 1,000 runs and 1,000,000 usage events (bench/dashboard.sh)
var mode = args.Length > 0 ? args[0] : "";
var epochs = args.Length > 1 && mode is not ("ort" or "bare-serve" or "dashboard" or "audit") ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
var result = mode switch
{
    "trainer" => SeedCnnBenchmarks.Trainer(epochs),
    "bare" => SeedCnnBenchmarks.Bare(epochs),
    "gan" => GanBenchmark.Run(epochs),
    "transfer" => TransferBenchmark.Run(epochs),
    "default" => DefaultRecipeBenchmark.Run(),
    "ledger" => LedgerBenchmark.Run(),
    "ort" => OnnxRuntimeBenchmark.Run(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)),
    "bare-serve" => BareEndpoint.Run(args[1], args[2]),
    "audit" => AuditBenchmark.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)),
    "dashboard" => DashboardBenchmark.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200, args.Length > 2 ? args[2] : "http://127.0.0.1:18090"),
    _ => throw new ArgumentException("usage: Anvil.Bench trainer|bare|gan|transfer|default [epochs] | ledger | audit SAMPLES SEED RECIPE EPOCHS | ort VERSION_DIR BATCH SECONDS | bare-serve VERSION_DIR URL | dashboard [REQUESTS [URL]]"),
};
Console.WriteLine(JsonSerializer.Serialize(result));
