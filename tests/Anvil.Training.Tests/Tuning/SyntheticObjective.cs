using System.Text.Json.Nodes;
using Anvil.Training.Tuning;

namespace Anvil.Training.Tests.Tuning;

/// <summary>
/// A cheap stand-in for training, to minimise: Branin's function over (x, y) plus a log-scale bowl in a
/// "learning rate", a bowl in an int and a penalty for the wrong categorical choice. Its minimum is
/// 0.397887 (Branin's) at learning_rate 10^-2.5, epochs 20 and optimizer "adam".
/// </summary>
internal static class SyntheticObjective
{
    public static SearchSpace Space { get; } = new(new JsonObject(), new Dictionary<string, ParameterRange>
    {
        ["x"] = new() { Type = "float", Low = -5, High = 10 },
        ["y"] = new() { Type = "float", Low = 0, High = 15 },
        ["learning_rate"] = new() { Type = "float", Low = 1e-5, High = 1, Log = true },
        ["epochs"] = new() { Type = "int", Low = 1, High = 64 },
        ["optimizer"] = new() { Type = "categorical", Choices = ["sgd", "adam", "adamw"] },
    });

    public static double Evaluate(IReadOnlyDictionary<string, double> p)
    {
        var (x, y) = (p["x"], p["y"]);
        var branin = Math.Pow(y - 5.1 / (4 * Math.PI * Math.PI) * x * x + 5 / Math.PI * x - 6, 2) + 10 * (1 - 1 / (8 * Math.PI)) * Math.Cos(x) + 10;
        return branin + Math.Pow(Math.Log10(p["learning_rate"]) + 2.5, 2) + Math.Pow((p["epochs"] - 20) / 10, 2) + (p["optimizer"] == 1 ? 0 : 2);
    }

    /// <summary>The best value after running <paramref name="trials"/> sequential trials of <paramref name="sampler"/>.</summary>
    public static double BestAfter(ISampler sampler, int trials)
    {
        var history = new List<TrialRecord>();
        for (var number = 0; number < trials; number++)
        {
            var parameters = sampler.Sample(Space, history, number)!;
            history.Add(new TrialRecord(number, parameters, TrialState.Complete, Evaluate(parameters), new Dictionary<int, double>()));
        }
        return history.Min(t => t.Value!.Value);
    }
}
