using System.Globalization;
using Anvil.Registry.Versions;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Robustness;
using Anvil.Training.Runs;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// For <c>retrain --require robust_accuracy_&lt;norm&gt;_&lt;ε&gt;&gt;=x</c>: attacks the challenger at the named norms and ε as
/// <c>./anvil robustness</c> does with its defaults (PGD-10 from a random start, the first 1,000 test images, seed 1) and
/// records the figures on its run, so its trust report holds them before the requirement is checked.
/// </summary>
internal static class ChallengerAttack
{
    private const int Steps = 10, Limit = 1000, Seed = 1;

    public static IReadOnlyList<(string Norm, double Epsilon)> Points(IReadOnlyList<TrustRequirement> requirements) =>
        [.. requirements.Select(r => r.AttackPoint).OfType<(string, double)>().Distinct()];

    /// <summary>Refuses, before anything is trained, a requirement at an ε that this model cannot be attacked for.</summary>
    public static void EnsureAttackable(IReadOnlyList<TrustRequirement> requirements, ModelSpec spec, string? inputKind)
    {
        if (Points(requirements).Count == 0)
            return;
        if (inputKind != ModelManifest.Image || spec.Preprocessing is null)
            throw new ArgumentException($"--require robust_accuracy_<norm>_<ε> attacks the challenger, and only image classifiers are attacked; this model takes {inputKind} inputs. Remove that requirement.");
        ConvolutionGradientCheck.EnsureTrainable(spec, inputGradient: true);
    }

    public static void Run(IRunRecorder recorder, string runId, TensorDataset test, IReadOnlyList<(string Norm, double Epsilon)> points, TextWriter progress)
    {
        var artifacts = new RunArtifacts(recorder.GetRun(runId).ArtifactsDirectory);
        var spec = artifacts.LoadSpec();
        using var model = artifacts.LoadModel();
        foreach (var norm in points.GroupBy(p => p.Norm))
        {
            var epsilons = norm.Select(p => p.Epsilon).ToList();
            progress.WriteLine($"Attacking the challenger ({norm.Key}, ε {string.Join(", ", epsilons.Select(e => e.ToString(CultureInfo.InvariantCulture)))}, PGD-{Steps}) for --require...");
            var report = RobustnessEvaluation.Run(model, spec.Preprocessing!, test, norm.Key == "l2" ? AttackNorm.L2 : AttackNorm.Linf, epsilons, Steps, Limit, Seed);
            recorder.LogMetrics(runId, report.ToMetrics());
            foreach (var warning in report.Warnings)
                progress.WriteLine($"warning: {warning}");
        }
    }
}
