using System.Text.Json.Serialization;
using Anvil.Training.Training.Callbacks;

namespace Anvil.Training.Tuning;

/// <summary>
/// One objective of a multi-objective study (Optuna's <c>directions</c>): a validation metric read at the trial's
/// last epoch, or a measurement of the trial's exported model: <c>latency_ms</c> (ONNX Runtime, batch 1, median)
/// or <c>bytes</c> (the ONNX file's size). Latency and bytes are always minimised.
/// </summary>
/// <example>
/// <code>{ "metric": "latency_ms", "direction": "minimize" }</code>
/// </example>
public sealed record Objective
{
    /// <summary>Median milliseconds of one batch-1 inference of the trial's ONNX graph in ONNX Runtime.</summary>
    public const string LatencyMs = "latency_ms";
    /// <summary>The size in bytes of the trial's ONNX graph (weights included).</summary>
    public const string Bytes = "bytes";

    /// <summary>A validation metric (val_accuracy, val_loss, ...), latency_ms or bytes.</summary>
    public required string Metric { get; init; }
    /// <summary>"maximize" or "minimize"; must agree with the metric.</summary>
    public required string Direction { get; init; }

    /// <summary>True when larger values are better.</summary>
    [JsonIgnore]
    public bool Maximize => Direction == "maximize";

    /// <summary>True for a measurement of the exported model rather than a validation metric of training.</summary>
    [JsonIgnore]
    public bool IsMeasured => Metric is LatencyMs or Bytes;

    /// <summary>True when larger values of <paramref name="metric"/> are better (latency and bytes: never).</summary>
    public static bool MaximizeOf(string metric) => metric is not (LatencyMs or Bytes) && MonitoredMetric.Maximize(metric);
}
