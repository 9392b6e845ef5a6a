using Anvil.Export.Pretrained;
using System.Globalization;
using Anvil.Cli.Commands;
using Anvil.Registry;
using Anvil.Registry.Runs;
using Anvil.Registry.Versions;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Retraining;
using Anvil.Training.Runs;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// `anvil retrain`: the champion's training data plus the feedback-labelled logged inputs (a seeded, held-out slice
/// never trained on) train a challenger with the champion's recipe through the run pipeline; the challenger is
/// registered as 'challenger' with its lineage, both are scored through ONNX Runtime as served on the original test
/// set and the held-out feedback, and the <see cref="PromotionGate"/> decides whether it may replace the champion.
/// </summary>
internal sealed class Retrainer(Registries registries, IRunStore runs, TextWriter progress)
{
    public RetrainResult Retrain(RetrainOptions o, CancellationToken cancellationToken)
    {
        var champion = registries.Catalog.Resolve(o.OrganizationId, o.Model, ChampionMoves.Champion)
            ?? throw new RegistryException($"This organization has no model '{o.Model}' with a champion; ./anvil models list --org <organization> lists its models.");
        using var signer = ManifestSigner.OpenOrCreate(registries.Home);
        var championFiles = registries.Catalog.OpenFiles(champion, signer);
        var manifest = championFiles.Manifest;
        if (manifest.OutputKind != ModelManifest.Probabilities || manifest.InputKind is not ("image" or "features"))
            throw new ArgumentException($"Model '{o.Model}' is a {manifest.InputKind} model with {manifest.OutputKind} output; retrain takes image and feature-vector classifiers only.");
        using var recorder = new RegistryRunRecorder(runs, organizationId: o.OrganizationId); // the challenger's run belongs to the champion's organization
        var championRun = recorder.GetRun(champion.RunId
            ?? throw new ArgumentException($"Version {champion.Version} of '{o.Model}' records no run, so there is no training data or recipe to retrain with; register it from a run with ./anvil register."));

        var logged = new LoggedInputs(registries.Database, registries.Time).Labelled(o.OrganizationId, o.Model);
        if (logged.Count == 0)
            throw new ArgumentException($"Model '{o.Model}' has no feedback on logged inputs (within its retention); nothing was trained or registered. Clients send feedback with POST /v1/predictions/{{id}}/feedback.");
        var feedback = FeedbackSamples.From(logged, manifest, o.Model);
        var artifacts = new RunArtifacts(championRun.ArtifactsDirectory);
        var (recipe, spec) = (artifacts.LoadRecipe(), artifacts.LoadSpec());
        ChallengerAttack.EnsureAttackable(o.Requirements, spec, manifest.InputKind);
        using var championScorer = new VersionScorer(championFiles);
        using var original = RunPipeline.LoadAgain(championRun, artifacts, recipe, spec, TextWriter.Null); // its training split sizes the per-key cap; its test set scores both versions
        FeedbackScreening? screening = null;
        if (o.Screen is { } screen)
        {
            screening = screen.Screen([.. logged.Select(l => l.Feedback!.KeyId)], feedback.Labels, championScorer.Probabilities(feedback.Inputs), championScorer.Classes, original.Train.Count);
            feedback = feedback.Subset(screening.Kept);
            progress.WriteLine(Describe(screening));
            if (feedback.Count == 0)
                throw new ArgumentException($"The feedback screen kept none of model '{o.Model}''s {logged.Count} feedback items ({Describe(screening)}); nothing was trained or registered. Check the keys named above (./anvil keys list), or retrain with --trust-all-feedback.");
        }
        var split = FeedbackSplit.Of(feedback.Labels, o.HeldOut, o.Seed);
        var (learnt, heldOut) = (feedback.Subset(split.Train), feedback.Subset(split.HeldOut));

        long[] shape = [learnt.Count, .. manifest.Signature.Inputs[0].Shape.Skip(1)];
        using var added = new AddedSamples(new TensorDataset(tensor(learnt.Inputs, shape), tensor(learnt.Labels), manifest.Signature.ClassLabels));
        progress.WriteLine($"Retraining '{o.Model}' v{champion.Version} (run {championRun.Id[..12]}) with {learnt.Count} feedback samples; {heldOut.Count} held out to judge it.");
        var request = new RunRequest(DataSource.FromParameters(championRun.Parameters), recipe, $"retrain-{o.Model}-v{champion.Version}",
            TrainingLimits.FromParameters(championRun.Parameters), ModelGiven: true, Added: added);
        var summary = new RunPipeline(recorder, progress, interactive: false, pretrained: new OnnxPretrainedSource()).Train(request, cancellationToken);
        if (summary.Outcome != RunOutcome.Finished)
            return new RetrainResult(champion, summary, Screening: screening);

        var lineage = new ModelRetraining(champion.Version, champion.ManifestDigest, championRun.Id, manifest.DatasetHash,
            learnt.Count, heldOut.Count, feedback.Hash(), o.HeldOut, o.Seed);
        var registration = new ModelRegistration(registries.Home, runs, registries.Catalog);
        var challenger = registration.Register(summary.RunId, o.OrganizationId, o.Model, ChampionMoves.Challenger, lineage);
        var challengerFiles = registries.Catalog.OpenFiles(challenger, signer);

        progress.WriteLine("Scoring champion and challenger in ONNX Runtime on the original test set and the held-out feedback...");
        var testInputs = CompressInputs.Raw(original.Test, spec.Preprocessing, original.Test.Count);
        var testLabels = original.Test.Labels.data<long>().ToArray();
        using var challengerScorer = new VersionScorer(challengerFiles);
        var championTest = Accuracy(championScorer.Predict(testInputs), testLabels);
        var challengerTest = Accuracy(challengerScorer.Predict(testInputs), testLabels);
        var championHeldOut = Correct(championScorer.Predict(heldOut.Inputs), heldOut.Labels);
        var challengerHeldOut = Correct(challengerScorer.Predict(heldOut.Inputs), heldOut.Labels);
        var gate = o.Gate.Judge(new GateFigures(championTest, challengerTest, championHeldOut, challengerHeldOut));
        if (ChallengerAttack.Points(o.Requirements) is { Count: > 0 } attacks)
        {
            ChallengerAttack.Run(recorder, summary.RunId, original.Test, attacks, progress);
            registration.WriteTrust(challenger); // with the figures just recorded
        }
        var trust = TrustFiles.Read(challenger.Directory, challenger.ManifestDigest, signer); // written and signed by Register
        var requirements = o.Requirements.Select(r => (r.ToString(), r.Check(trust))).ToList();
        var promotable = gate.Promote && requirements.All(r => r.Item2 is null);
        recorder.LogMetrics(summary.RunId, new Dictionary<string, double>
        {
            ["gate_champion_test_accuracy"] = championTest,
            ["gate_challenger_test_accuracy"] = challengerTest,
            ["gate_champion_feedback_accuracy"] = gate.ChampionHeldOutAccuracy,
            ["gate_challenger_feedback_accuracy"] = gate.ChallengerHeldOutAccuracy,
            ["gate_mcnemar_p"] = gate.PValue,
            ["gate_significance"] = o.Gate.Alpha,
            ["gate_promotable"] = promotable ? 1 : 0,
        });
        var shadow = o.Shadow > 0
            ? ShadowEvaluation.Replay(new LoggedInputs(registries.Database, registries.Time).Recent(o.OrganizationId, o.Model, o.Shadow), championScorer, challengerScorer)
            : null;
        var promoted = o.Promote && promotable;
        if (promoted)
            new ChampionMoves(registries.Database, registries.Time).Promote(o.OrganizationId, o.Model, challenger.Version);
        return new RetrainResult(champion, summary, challenger, learnt.Count, heldOut.Count, championTest, challengerTest, gate, promoted, shadow, screening, requirements);
    }

    /// <summary>The screen's decisions as one line for people.</summary>
    public static string Describe(FeedbackScreening screening) => "Feedback screen: " + string.Join("; ", screening.Keys.Select(k => k.Decision switch
    {
        KeyDecision.Excluded => string.Create(CultureInfo.InvariantCulture, $"key {k.Key} excluded ({k.Contradicted} of its {k.Given} labels contradict the champion's confident answers, far more than the other keys': binomial p = {k.PValue:G3})"),
        KeyDecision.Capped => string.Create(CultureInfo.InvariantCulture, $"key {k.Key} capped at {k.Used} of its {k.Given} items (at most {screening.CapPerKey} per key)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"key {k.Key} kept ({k.Given} items, {k.Contradicted} contradict the champion)"),
    })) + ".";

    private static bool[] Correct(int[] predicted, long[] labels) => predicted.Select((p, i) => p == labels[i]).ToArray();

    private static double Accuracy(int[] predicted, long[] labels) =>
        labels.Length == 0 ? 0 : (double)Correct(predicted, labels).Count(c => c) / labels.Length;

    /// <summary>The gate's figures as one line for people.</summary>
    public static string Describe(RetrainResult r) => FormattableString.Invariant(
        $"Test set: champion v{r.Champion.Version} {r.ChampionTestAccuracy * 100:0.00}%, challenger v{r.Challenger!.Version} {r.ChallengerTestAccuracy * 100:0.00}%. ")
        + FormattableString.Invariant($"Held-out feedback ({r.FeedbackHeldOut}): champion {r.Gate!.ChampionHeldOutAccuracy * 100:0.00}%, challenger {r.Gate.ChallengerHeldOutAccuracy * 100:0.00}%; ")
        + string.Create(CultureInfo.InvariantCulture, $"only the challenger right on {r.Gate.OnlyChallengerCorrect}, only the champion on {r.Gate.OnlyChampionCorrect}, McNemar p = {r.Gate.PValue:G3}.");
}
