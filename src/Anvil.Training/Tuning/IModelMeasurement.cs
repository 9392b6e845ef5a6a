namespace Anvil.Training.Tuning;

/// <summary>
/// Measures a trial's trained model for the objectives training cannot give (<see cref="Objective.LatencyMs"/>,
/// <see cref="Objective.Bytes"/>). The CLI implements it with the ONNX exporter and ONNX Runtime, which
/// Anvil.Training does not reference.
/// </summary>
/// <example>
/// <code>IReadOnlyDictionary&lt;string, double&gt; values = measurement.Measure(runId, ["latency_ms", "bytes"]);</code>
/// </example>
public interface IModelMeasurement
{
    /// <summary>The value of each of <paramref name="metrics"/> for the finished run <paramref name="runId"/>.</summary>
    IReadOnlyDictionary<string, double> Measure(string runId, IReadOnlyList<string> metrics);
}
