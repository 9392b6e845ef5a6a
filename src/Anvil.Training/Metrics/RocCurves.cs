using static TorchSharp.torch;

namespace Anvil.Training.Metrics;

/// <summary>
/// One-vs-rest ROC curve of every class: for class c the score is the softmax probability of c and
/// the positives are the samples whose target is c. Keeps every score until <see cref="Reset"/>
/// (N × C doubles), because an exact curve needs all of them. A class with no positive or no negative
/// sample gets a NaN AUC and is left out of <see cref="RocResult.MacroAuc"/>.
/// </summary>
/// <example>
/// <code>
/// var roc = new RocCurves(classCount: 3);
/// roc.Update(logits, labels);                 // logits (N, 3), labels (N) int64
/// double macro = roc.Compute().MacroAuc;
/// </code>
/// </example>
public sealed class RocCurves : IMetric<RocResult>
{
    private readonly int _classCount;
    private readonly bool _inputsAreProbabilities;
    private readonly List<double[]> _probabilities = []; // one (C) row per sample
    private readonly List<long> _labels = [];

    /// <summary>Creates an empty metric.</summary>
    /// <param name="classCount">Number of classes C; predictions must have C columns.</param>
    /// <param name="inputsAreProbabilities">
    /// False (default): predictions are logits and softmax is applied over C.
    /// True: predictions already are probabilities and are used as given.
    /// </param>
    public RocCurves(int classCount, bool inputsAreProbabilities = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        _classCount = classCount;
        _inputsAreProbabilities = inputsAreProbabilities;
    }

    /// <inheritdoc/>
    public void Update(Tensor predictions, Tensor targets)
    {
        MetricInputs.Check(predictions, targets, _classCount);
        using var scope = NewDisposeScope();
        var probabilities = _inputsAreProbabilities ? predictions : predictions.softmax(1); // (N, C)
        var flat = probabilities.to(ScalarType.Float64).cpu().data<double>().ToArray(); // (N * C), row-major
        _probabilities.AddRange(flat.Chunk(_classCount));
        _labels.AddRange(MetricInputs.Labels(targets));
    }

    /// <summary>The curve of every class over the samples added since the last reset.</summary>
    public RocResult Compute()
    {
        var curves = new RocCurve[_classCount];
        for (var c = 0; c < _classCount; c++)
        {
            var scores = _probabilities.Select(row => row[c]).ToArray();
            var positives = _labels.Select(label => label == c).ToArray();
            curves[c] = RocCurve.FromScores(scores, positives);
        }
        return new RocResult(curves);
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _probabilities.Clear();
        _labels.Clear();
    }
}
