namespace Anvil.Training.Tuning;

/// <summary>One trial on a multi-objective study's Pareto front: its number, its run and its value of each objective.</summary>
/// <example>
/// <code>var point = new ParetoPoint(3, runId, [0.836, 0.0317]); // val_accuracy, latency_ms</code>
/// </example>
/// <param name="Trial">The trial's number.</param>
/// <param name="RunId">The trial's run (its model can be registered with <c>--register-trial</c>).</param>
/// <param name="Values">One value per objective, in the study's order.</param>
public sealed record ParetoPoint(int Trial, string? RunId, IReadOnlyList<double> Values);
