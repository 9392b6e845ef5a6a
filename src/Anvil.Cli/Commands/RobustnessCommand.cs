using System.CommandLine;
using System.Globalization;
using Anvil.Cli.Pipeline;
using Anvil.Training.Models;
using Anvil.Training.Robustness;
using Anvil.Training.Runs;

namespace Anvil.Cli.Commands;

/// <summary>
/// `anvil robustness RUN [--norm linf|l2] [--eps 0.05,0.1] [--steps 10] [--limit 1000] [--json]`: accuracy of an image
/// classifier under FGSM and PGD on its test set, as an empirical upper bound, with gradient-masking checks; the
/// figures are recorded on the run (robust_accuracy_linf_0.1, …).
/// </summary>
internal static class RobustnessCommand
{
    public static Command Create(Func<Registry.Runs.IRunStore> openStore)
    {
        var run = new Argument<string>("run") { Description = "A finished run of an image classifier (id, prefix or name)." };
        var norm = new Option<string>("--norm") { Description = "linf (every pixel moves at most ε) or l2 (the whole perturbation's length is at most ε).", DefaultValueFactory = _ => "linf" };
        norm.AcceptOnlyFromAmong("linf", "l2");
        var eps = new Option<string>("--eps") { Description = "ε values on pixels scaled to [0, 1], comma-separated.", DefaultValueFactory = _ => "0.05,0.1" };
        var steps = new Option<int>("--steps") { Description = "PGD steps (4× as many are run as a check).", DefaultValueFactory = _ => 10 };
        var limit = new Option<int>("--limit") { Description = "Test images to attack (the first N of the test set).", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random starts.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("robustness", "Attack an image classifier with FGSM and PGD on its test set: robust accuracy at each ε (an upper bound) and gradient-masking checks.")
        {
            run, norm, eps, steps, limit, seed, json,
        };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var epsilons = p.GetValue(eps)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(e => double.TryParse(e, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"--eps takes numbers like 0.05,0.1; '{e}' is not one."))
                .ToList();
            using var recorder = new RegistryRunRecorder(openStore());
            var recorded = recorder.GetRun(p.GetValue(run)!);
            if (!recorded.Finished)
                throw new ArgumentException($"Run {recorded.Id[..12]} is not finished; attack a finished run.");
            var artifacts = new RunArtifacts(recorded.ArtifactsDirectory);
            var (recipe, spec) = (artifacts.LoadRecipe(), artifacts.LoadSpec());
            ConvolutionGradientCheck.EnsureTrainable(spec, inputGradient: true); // the attacks follow the input gradient through every convolution
            if (spec.Preprocessing is not { } preprocessing)
                throw new ArgumentException($"Run {recorded.Id[..12]} records no preprocessing; it cannot be attacked in pixel units.");
            using var data = RunPipeline.LoadAgain(recorded, artifacts, recipe, spec, Console.Error);
            using var model = artifacts.LoadModel();
            var attackNorm = p.GetValue(norm) == "l2" ? AttackNorm.L2 : AttackNorm.Linf;
            Console.Error.WriteLine($"Attacking run {recorded.Id[..12]} on {Math.Min(p.GetValue(limit), data.Test.Count):N0} test images ({p.GetValue(norm)}, ε {p.GetValue(eps)}, PGD {p.GetValue(steps)} steps)...");
            var report = RobustnessEvaluation.Run(model, preprocessing, data.Test, attackNorm, epsilons, p.GetValue(steps), p.GetValue(limit), p.GetValue(seed));
            var name = report.NormName;
            recorder.LogMetrics(recorded.Id, report.ToMetrics());
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(new
                {
                    run_id = recorded.Id, norm = name, steps = report.Steps, samples = report.Samples, clean_accuracy = report.CleanAccuracy,
                    points = report.Points.Select(pt => new { epsilon = pt.Epsilon, fgsm_accuracy = pt.FgsmAccuracy, pgd_accuracy = pt.PgdAccuracy, pgd_4x_steps_accuracy = pt.PgdMoreStepsAccuracy }),
                    unbounded_accuracy = report.UnboundedAccuracy, warnings = report.Warnings, upper_bound = true,
                }));
                return ExitCodes.Success;
            }

            Console.WriteLine($"Clean accuracy {report.CleanAccuracy:P2} on {report.Samples:N0} test images. Robust accuracy ({name}; an upper bound: a stronger attack may do better):");
            Console.WriteLine($"  {"ε",8} {"FGSM",8} {$"PGD-{report.Steps}",8} {$"PGD-{4 * report.Steps}",8}");
            foreach (var pt in report.Points)
                Console.WriteLine($"  {pt.Epsilon,8:G4} {pt.FgsmAccuracy,8:P1} {pt.PgdAccuracy,8:P1} {pt.PgdMoreStepsAccuracy,8:P1}");
            Console.WriteLine($"  unbounded {report.UnboundedAccuracy:P1} (should be near chance)");
            foreach (var warning in report.Warnings)
                Console.WriteLine($"warning: {warning}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
