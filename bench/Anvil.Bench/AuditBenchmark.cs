using System.Diagnostics;
using Anvil.Training.Audit;
using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Training;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Bench;

/// <summary>
/// The data audit against known label errors (issue 11 §3): the first SAMPLES Fashion-MNIST training images, 5% of
/// their labels flipped at random to another class (seeded), audited with RECIPE ("seed-cnn" or "default" at EPOCHS);
/// precision and recall of the flagged examples against the flipped ones, then the test accuracy of the same recipe
/// trained on the noisy data and on the noisy data without the flagged examples.
/// </summary>
internal static class AuditBenchmark
{
    private const double FlippedShare = 0.05;

    public static object Run(int samples, int seed, string recipeName, int epochs)
    {
        var (all, test) = FashionMnist.Load();
        using var _ = all;
        using var __ = test;
        using var clean = all.Subset(arange(Math.Min(samples, all.Count)));
        var labels = clean.Labels.data<long>().ToArray();
        var random = new Random(seed);
        var flipped = Enumerable.Range(0, labels.Length).OrderBy(_ => random.Next()).Take((int)Math.Round(FlippedShare * labels.Length)).ToHashSet();
        var noisyLabels = labels.Select((label, i) => flipped.Contains(i) ? (label + 1 + random.Next(9)) % 10 : label).ToArray();
        using var noisy = new TensorDataset(clean.Features.clone(), tensor(noisyLabels), clean.ClassNames);
        var recipe = (recipeName == "default" ? Recipe.Default with { TestTimeAugmentation = false } : Recipe.SeedCnn) with { Epochs = epochs, Seed = seed };
        var spec = Anvil.Training.Runs.ModelChoice.Resolve(recipe.Model, noisy);

        var stopwatch = Stopwatch.StartNew();
        var report = DataAudit.Run(noisy, spec, recipe, new DataAuditOptions(), 1 / 255.0);
        var auditSeconds = stopwatch.Elapsed.TotalSeconds;
        var flagged = report.Labels.Issues.Select(i => i.Index).ToHashSet();
        var found = flagged.Count(flipped.Contains);
        var wider = ConfidentLearning.Find(report.Probabilities, noisyLabels, 10, LabelIssueFilter.PruneByNoiseRate).Issues.Select(i => i.Index).ToHashSet();
        var widerFound = wider.Count(flipped.Contains);
        var both = ConfidentLearning.Find(report.Probabilities, noisyLabels, 10, LabelIssueFilter.Both).Issues.Select(i => i.Index).ToHashSet();
        var bothFound = both.Count(flipped.Contains);

        KeepProbabilities(seed, report.Probabilities, labels, noisyLabels);
        var retrain = Environment.GetEnvironmentVariable("RETRAIN") != "0";
        using var cleaned = retrain ? Without(noisy, flagged) : null;
        return new
        {
            contender = "audit",
            recipe = recipeName,
            epochs,
            seed,
            samples = labels.Length,
            flipped = flipped.Count,
            flagged = flagged.Count,
            precision = flagged.Count == 0 ? 0 : (double)found / flagged.Count,
            recall = (double)found / flipped.Count,
            prune_by_noise_rate_flagged = wider.Count,
            prune_by_noise_rate_precision = wider.Count == 0 ? 0 : (double)widerFound / wider.Count,
            prune_by_noise_rate_recall = (double)widerFound / flipped.Count,
            both_flagged = both.Count,
            both_precision = both.Count == 0 ? 0 : (double)bothFound / both.Count,
            both_recall = (double)bothFound / flipped.Count,
            estimated_noise_rate = report.Labels.EstimatedNoiseRate,
            out_of_fold_accuracy = report.OutOfFoldAccuracy,
            near_duplicates = report.NearDuplicates.Count,
            outliers = report.Outliers.Count,
            audit_seconds = auditSeconds,
            test_accuracy_noisy = retrain ? TestAccuracy(noisy, test, spec, recipe) : (double?)null,
            test_accuracy_without_flagged = cleaned is null ? (double?)null : TestAccuracy(cleaned, test, spec, recipe),
        };
    }

    /// <summary>A copy of the data without the flagged examples.</summary>
    private static TensorDataset Without(TensorDataset data, HashSet<int> flagged) =>
        data.Subset(tensor(Enumerable.Range(0, data.Count).Where(i => !flagged.Contains(i)).Select(i => (long)i).ToArray()));

    /// <summary>The out-of-fold probabilities with the true and given labels, for studying filters offline (bench/out/audit).</summary>
    private static void KeepProbabilities(int seed, float[] probabilities, long[] labels, long[] given)
    {
        var directory = Environment.GetEnvironmentVariable("AUDIT_OUT");
        if (string.IsNullOrEmpty(directory))
            return;
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, $"probabilities-{seed}.json"), System.Text.Json.JsonSerializer.Serialize(new { labels, given, probabilities }));
    }

    private static double TestAccuracy(TensorDataset train, TensorDataset test, ModelSpec spec, Recipe recipe)
    {
        using var trainCopy = train.Subset(arange(train.Count));
        using var testCopy = test.Subset(arange(test.Count));
        var normalization = Normalization.Fit(trainCopy);
        normalization.ApplyInPlace(trainCopy);
        normalization.ApplyInPlace(testCopy);
        manual_seed(recipe.Seed);
        using var model = ModelBuilder.Build(spec with { Preprocessing = normalization.ToSpec(1 / 255.0) });
        new Trainer(model, recipe).Fit(trainCopy, validation: null);
        return Evaluator.Evaluate(model, testCopy).Accuracy;
    }
}
