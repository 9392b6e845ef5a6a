using Anvil.Preprocessing.Text;
using Anvil.Training.Data;
using Anvil.Training.Data.Text;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Runs;

/// <summary>
/// What a text model must beat: a bag-of-words logistic regression (<see cref="BagOfWords"/> features of the same
/// token ids, one dense layer, softmax) trained by the same <see cref="Trainer"/> on the same training split and
/// scored on the same test split, then compared with the model item by item (<see cref="McNemar"/>).
/// </summary>
/// <example>
/// <code>var figures = TextBaseline.Compare(recipe, data, modelReport, Console.Error);   // baseline_test_auc, mcnemar_p, …</code>
/// </example>
public static class TextBaseline
{
    /// <summary>Most frequent vocabulary words the baseline counts: more add little and cost memory (N × words floats).</summary>
    public const int MaxWords = 10_000;

    /// <summary>How the baseline is trained: Adam with L2, no augmentation, fixed epochs (a convex problem needs no schedule).</summary>
    public static Recipe BaselineRecipe(int seed) => new()
    {
        Model = "bow-logistic",
        Epochs = 20,
        BatchSize = 64,
        Optimizer = "adam",
        LearningRate = 5e-3,
        WeightDecay = 1e-4,
        ValidationFraction = 0,
        Seed = seed,
    };

    /// <summary>
    /// Trains and scores the baseline; returns the model's and the baseline's binary figures (<c>test_auc</c>,
    /// <c>test_f1</c>, <c>baseline_test_auc</c>, <c>baseline_test_accuracy</c>, <c>baseline_test_f1</c>) and
    /// McNemar's test between them (<c>mcnemar_p</c>, <c>mcnemar_only_model</c>, <c>mcnemar_only_baseline</c>: test items only one got right).
    /// </summary>
    /// <param name="modelReport">The model's single-view report on the test split; its per-item results are compared.</param>
    public static Dictionary<string, double> Compare(Recipe recipe, PreparedData data, EvaluationReport modelReport,
        TextWriter progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(modelReport);
        var vocabulary = data.Tokenizer?.Vocabulary ?? throw new ArgumentException("The text baseline needs token-id data with its vocabulary.", nameof(data));
        var words = Math.Clamp(vocabulary.Count - (TextVocabulary.UnknownId + 1), 1, MaxWords);
        var classNames = data.Train.ClassNames;
        using var train = Features(data.Train, words);
        using var test = Features(data.Test, words);
        var spec = new ModelSpec
        {
            Name = "bow-logistic",
            InputShape = [words],
            ClassNames = [.. classNames],
            Layers = [new() { Type = LayerTypes.Dense, Activation = "softmax" }],
        };
        progress.WriteLine($"Baseline: bag-of-words logistic regression on the {words:N0} most frequent words, same split.");
        manual_seed(recipe.Seed);
        using var baseline = ModelBuilder.Build(spec);
        var fit = new Trainer(baseline, BaselineRecipe(recipe.Seed)).Fit(train, validation: null, resumeFrom: null, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (fit.Diverged)
            throw new InvalidOperationException($"The bag-of-words baseline diverged: {fit.StopReason}");
        var baselineReport = Evaluator.Evaluate(baseline, test);
        progress.WriteLine($"Baseline: {fit.History.Count} epochs in {fit.Elapsed.TotalSeconds:F1}s, test accuracy {baselineReport.Accuracy:P2}.");
        var mcnemar = McNemar.Compare(modelReport.Correct, baselineReport.Correct);
        var figures = BinaryFigures.Of(modelReport, "test");
        foreach (var (name, value) in BinaryFigures.Of(baselineReport, "baseline_test"))
            figures[name] = value;
        figures["baseline_test_accuracy"] = baselineReport.Accuracy;
        figures["mcnemar_p"] = mcnemar.PValue;
        figures["mcnemar_only_model"] = mcnemar.OnlyFirstCorrect;
        figures["mcnemar_only_baseline"] = mcnemar.OnlySecondCorrect;
        return figures;
    }

    // (N, T) token ids → (N, words) float32 bag-of-words features, with the same labels.
    private static TensorDataset Features(TensorDataset tokens, int words)
    {
        var ids = tokens.Features.data<long>().ToArray();
        var length = (int)tokens.Features.shape[1];
        var encodings = Enumerable.Range(0, tokens.Count).Select(n =>
        {
            var row = ids.AsSpan(n * length, length).ToArray().Where(id => id != TextVocabulary.PaddingId).Select(id => (int)id).ToArray();
            return new TextEncoding(row, false, row.Count(id => id == TextVocabulary.UnknownId));
        }).ToList();
        var features = BagOfWords.Features(encodings, words);
        return new TensorDataset(tensor(features, [tokens.Count, words]), tokens.Labels.clone(), tokens.ClassNames);
    }
}
