namespace Anvil.Training.Training;

/// <summary>A generator's score from a <see cref="GanJudge"/>: lower distance is closer to the real images; coverage in [0, 1].</summary>
public sealed record GanScore(double FrechetDistance, double ClassCoverage)
{
    /// <summary>The figures by their names in epoch metrics and run summaries.</summary>
    public Dictionary<string, double> ToMetrics() => new()
    {
        ["frechet_distance"] = FrechetDistance,
        ["class_coverage"] = ClassCoverage,
    };
}
