using Anvil.Preprocessing.Text;
using Anvil.Training.Data;
using Anvil.Training.Data.Text;
using Anvil.Training.Training;

namespace Anvil.Training.Runs;

/// <summary>
/// Cross-validation of a text classifier: k folds that keep near-copies together (<see cref="GroupKFold"/>), each
/// fitting its own vocabulary on its training texts only, so no fold's held-out words shape the ids it trains on.
/// Each fold trains a fresh model and reports accuracy and ROC AUC on its held-out texts.
/// </summary>
internal static class TextCrossValidation
{
    /// <param name="documents">The training split's texts (the test split is never seen).</param>
    /// <param name="recipe">How to train; its model (a built-in name or a spec file) is resolved per fold against that fold's vocabulary.</param>
    public static CrossValidationResult Run(IReadOnlyList<TextDocument> documents, IReadOnlyList<string> classNames, TextTokenizerOptions options,
        Recipe recipe, int folds, Func<int, IEnumerable<Callback>>? callbacks, CancellationToken cancellationToken)
    {
        var figures = new List<double[]>();
        foreach (var (trainDocuments, heldOutDocuments) in new GroupKFold(folds, recipe.Seed).Split(documents))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (train, heldOut, tokenizer) = EncodeFold(trainDocuments, heldOutDocuments, classNames, options);
            using var _ = train;
            using var __ = heldOut;
            var spec = ModelChoice.Resolve(recipe.Model, train, tokenizer.Vocabulary.Count) with { Tokenizer = options };
            using var model = CrossValidation.FitFold(spec, recipe, train, figures.Count + 1, callbacks, cancellationToken);
            figures.Add(CrossValidation.Classification(model, heldOut));
        }
        return new CrossValidationResult(CrossValidation.ClassificationMetrics, figures);
    }

    /// <summary>A fold's ids, with a vocabulary fitted on its training texts only: a word only its held-out texts hold is unknown (id 1).</summary>
    internal static (TensorDataset Train, TensorDataset HeldOut, TextTokenizer Tokenizer) EncodeFold(IReadOnlyList<TextDocument> train, IReadOnlyList<TextDocument> heldOut,
        IReadOnlyList<string> classNames, TextTokenizerOptions options)
    {
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(train.Select(d => d.Text), options), options);
        var trainSet = TextSplits.Encode(train, tokenizer, classNames, out _);
        return (trainSet, TextSplits.Encode(heldOut, tokenizer, classNames, out _), tokenizer);
    }
}
