using System.CommandLine;
using Anvil.Cli.Pipeline;
using Anvil.Registry.Runs;
using Anvil.Registry.Versions;
using Anvil.Training.Retraining;
using Anvil.Training.Runs;

namespace Anvil.Cli.Commands;

/// <summary>`anvil retrain --model NAME --org ORG`: a challenger trained on the champion's data plus feedback, gated, optionally promoted.</summary>
internal static class RetrainCommand
{
    public static Command Create(Registries registries, Func<IRunStore> openStore)
    {
        var model = new Option<string>("--model") { Description = "Registered model whose champion is retrained.", Required = true };
        var org = new Option<string>("--org") { Description = "Organization that owns the model.", Required = true };
        var heldOut = new Option<double>("--held-out") { Description = "Share of the feedback held out (never trained on) to judge champion and challenger.", DefaultValueFactory = _ => 0.25 };
        var seed = new Option<int>("--seed") { Description = "Seed of the stratified held-out split of the feedback.", DefaultValueFactory = _ => 42 };
        var tolerance = new Option<double>("--tolerance") { Description = "Percentage points the challenger may lose on the original test set and still be promoted.", DefaultValueFactory = _ => PromotionGate.DefaultTolerancePoints };
        var significance = new Option<double>("--significance")
        {
            Description = "The McNemar p-value the challenger's gain on held-out feedback must fall below (the chance that a challenger no better than the champion is promoted is at most half of it).",
            DefaultValueFactory = _ => PromotionGate.DefaultAlpha,
        };
        var promote = new Option<bool>("--promote") { Description = "Move 'champion' to the challenger when the gate passes (the old one stays as 'previous'); exit code 4 when it refuses." };
        var shadow = new Option<int>("--shadow") { Description = "Also replay the last N logged inputs through champion and challenger (0: none)." };
        var maxKeyShare = new Option<double>("--max-key-share") { Description = "Most of the retraining set (training examples plus feedback) one API key's feedback may make up; beyond it, its newest items are left out.", DefaultValueFactory = _ => 0.5 };
        var trustAll = new Option<bool>("--trust-all-feedback") { Description = "Skip the feedback screen: no key is excluded for contradicting the champion far more than the others, and none is capped." };
        var json = new Option<bool>("--json") { Description = "End with one JSON line of the figures on stdout." };
        var require = new Option<string[]>("--require")
        {
            Description = "A minimum the challenger's trust report must meet to be promoted, e.g. robust_accuracy>=0.6 or dp_epsilon<=3 (repeatable); a figure not measured fails it.",
        };
        var command = new Command("retrain", "Train a challenger on the champion's data plus feedback-labelled logged inputs, register it as 'challenger', and gate it against the champion (test set within --tolerance, McNemar p < --significance on held-out feedback).")
        {
            model, org, heldOut, seed, tolerance, significance, promote, shadow, maxKeyShare, trustAll, json, require,
        };
        command.SetAction(p => CommandRunner.Run(p, cancellationToken =>
        {
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            FeedbackSplit.RequireFraction(p.GetValue(heldOut));
            var promotionGate = new PromotionGate(p.GetValue(tolerance), p.GetValue(significance)); // refuses a value out of range
            if (!(p.GetValue(maxKeyShare) is > 0 and <= 1))
                throw new ArgumentException($"--max-key-share must be more than 0 and at most 1 (the share of the retraining set one key's feedback may make up), e.g. 0.5; got {p.GetValue(maxKeyShare)}.");
            if (p.GetValue(shadow) < 0)
                throw new ArgumentException($"--shadow must be 0 (no replay) or a number of logged inputs; got {p.GetValue(shadow)}.");
            var screen = p.GetValue(trustAll) ? null : new FeedbackScreen(MaxKeyShare: p.GetValue(maxKeyShare));
            var requirements = (p.GetValue(require) ?? []).Select(TrustRequirement.Parse).ToList(); // before anything is trained
            var options = new RetrainOptions(organization.Id, p.GetValue(model)!, p.GetValue(heldOut), p.GetValue(seed), promotionGate, p.GetValue(promote), p.GetValue(shadow), screen)
            {
                Requirements = requirements,
            };
            var r = new Retrainer(registries, openStore(), Console.Error).Retrain(options, cancellationToken);
            if (r.Gate is not { } gate)
            {
                RunReport.Print(r.Run, p.GetValue(json));
                return r.Run.Outcome == RunOutcome.Interrupted ? ExitCodes.Interrupted : ExitCodes.Diverged;
            }
            Console.WriteLine($"Registered {r.Challenger!.ModelName} version {r.Challenger.Version} as 'challenger' (run {r.Run.RunId}, trained on {r.FeedbackTrained} feedback samples).");
            Console.WriteLine(Retrainer.Describe(r));
            if (r.Shadow is { } report)
                Console.WriteLine(ShadowEvaluation.Describe(report));
            foreach (var (requirement, failure) in r.Requirements ?? [])
                Console.WriteLine(failure is null ? $"Requirement {requirement}: met." : $"Requirement {requirement}: not met.");
            Console.WriteLine(r.Refusals.Count == 0
                ? r.Promoted ? $"Gate passed: v{r.Challenger.Version} is now 'champion', v{r.Champion.Version} is 'previous' (./anvil models rollback {r.Challenger.ModelName} --org {organization.Name} undoes it)."
                    : $"Gate passed: promote with ./anvil retrain --promote, or ./anvil models alias {r.Challenger.ModelName} champion {r.Challenger.Version} --org {organization.Name}."
                : $"Gate refused promotion: {string.Join("; ", r.Refusals)}.");
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(new
                {
                    model = r.Challenger.ModelName,
                    champion_version = r.Champion.Version,
                    challenger_version = r.Challenger.Version,
                    run_id = r.Run.RunId,
                    feedback_trained = r.FeedbackTrained,
                    feedback_held_out = r.FeedbackHeldOut,
                    champion_test_accuracy = r.ChampionTestAccuracy,
                    challenger_test_accuracy = r.ChallengerTestAccuracy,
                    champion_feedback_accuracy = gate.ChampionHeldOutAccuracy,
                    challenger_feedback_accuracy = gate.ChallengerHeldOutAccuracy,
                    only_challenger_correct = gate.OnlyChallengerCorrect,
                    only_champion_correct = gate.OnlyChampionCorrect,
                    p_value = gate.PValue,
                    too_small = gate.TooSmall,
                    promotable = r.Refusals.Count == 0,
                    promoted = r.Promoted,
                    reasons = r.Refusals,
                    requirements = (r.Requirements ?? []).Select(q => new { requirement = q.Requirement, met = q.Failure is null, failure = q.Failure }),
                    shadow = r.Shadow,
                    feedback_screen = r.Screening is { } screening
                        ? new
                        {
                            cap_per_key = screening.CapPerKey,
                            dropped = screening.Dropped,
                            keys = screening.Keys.Select(k => new { key = k.Key, given = k.Given, contradicted = k.Contradicted, used = k.Used, decision = k.Decision.ToString().ToLowerInvariant(), p_value = k.PValue }),
                        }
                        : null,
                }));
            }
            return p.GetValue(promote) && !r.Promoted ? ExitCodes.PromotionRefused : ExitCodes.Success;
        }));
        return command;
    }
}
