using Anvil.Training.Data;
using Anvil.Training.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Metrics;

/// <summary>
/// Runs a model over a data set in inference mode and computes the evaluation report:
/// accuracy, loss, confusion matrix with per-class precision/recall/F1, one-vs-rest ROC and AUC.
/// Optional test-time augmentation averages the probabilities of ten views of each image: it and
/// its mirror, each as is and shifted by one pixel in the four directions.
/// </summary>
/// <example>
/// <code>var report = Evaluator.Evaluate(model, test, testTimeAugmentation: true);</code>
/// </example>
public static class Evaluator
{
    // Input values per evaluation batch at most: 1,000 Fashion-MNIST images (784 values each) fit, 244 RGB 64x64 ones
    // do. A ResNet's first activations are 5x its input; batches of 1,000 RGB 64x64 images held gigabytes of them.
    private const long MaxBatchValues = 3_000_000;

    /// <summary>(N, C) class probabilities for every sample, in order.</summary>
    /// <param name="batchSize">Samples per forward pass; lowered for large samples so a batch holds at most 3 million input values.</param>
    /// <param name="onBatch">Called after each batch with (batches done, batches in all), e.g. for <see cref="EvaluationProgress"/>.</param>
    public static Tensor PredictProbabilities(SpecModel model, Tensor features, int batchSize = 1000, bool testTimeAugmentation = false, Action<int, int>? onBatch = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var sampleValues = features.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        batchSize = (int)Math.Min(batchSize, Math.Max(16, MaxBatchValues / Math.Max(1, sampleValues)));
        Training.TorchRuntime.Initialize();
        if (testTimeAugmentation && features.dim() != 4)
            throw new ArgumentException("Test-time augmentation mirrors images and needs (N, C, H, W) inputs.", nameof(features));
        var wasTraining = model.training;
        model.eval();
        using var noGrad = no_grad();
        var batches = new List<Tensor>();
        var total = (int)((features.shape[0] + batchSize - 1) / batchSize);
        for (long start = 0; start < features.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var x = features.narrow(0, start, Math.Min(batchSize, features.shape[0] - start)); // (B, ...)
            var views = testTimeAugmentation ? AugmentedViews(x) : [x];
            var probabilities = views.Select(v => functional.softmax(model.forward(v), 1)) // (B, C) each
                .Aggregate((sum, p) => sum.add_(p)).div_(views.Length);
            batches.Add(probabilities.MoveToOuterDisposeScope());
            onBatch?.Invoke(batches.Count, total);
        }
        model.train(wasTraining);
        var all = cat(batches, 0);
        batches.ForEach(b => b.Dispose());
        return all;
    }

    // Test-time views: the image and its mirror, each also shifted by one pixel up, down, left and right.
    private static readonly (int Dy, int Dx)[] Shifts = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)];

    private static Tensor[] AugmentedViews(Tensor x)
    {
        using var padded = nn.functional.pad(x, [1, 1, 1, 1]); // (B, C, H+2, W+2)
        long h = x.shape[2], w = x.shape[3];
        return Shifts.Select(s => padded.narrow(2, 1 + s.Dy, h).narrow(3, 1 + s.Dx, w))
            .SelectMany(v => new[] { v, v.flip(3) }).ToArray();
    }

    /// <summary>Mean cross-entropy and accuracy, for per-epoch validation.</summary>
    public static (double Loss, double Accuracy) LossAndAccuracy(SpecModel model, TensorDataset data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var probabilities = PredictProbabilities(model, data.Features, batchSize);
        var loss = MeanCrossEntropy(probabilities, data.Labels);
        var accuracy = probabilities.argmax(1).eq(data.Labels).to(ScalarType.Float64).mean().item<double>();
        return (loss, accuracy);
    }

    // Probabilities are clamped so a confidently wrong prediction costs log(1e12) instead of infinity.
    private static double MeanCrossEntropy(Tensor probabilities, Tensor labels) =>
        functional.nll_loss(probabilities.clamp_min(1e-12).log(), labels).item<float>();

    /// <summary>The full report on a labelled data set.</summary>
    /// <param name="onBatch">Called after each batch with (batches done, batches in all).</param>
    public static EvaluationReport Evaluate(SpecModel model, TensorDataset data, bool testTimeAugmentation = false, int batchSize = 1000, Action<int, int>? onBatch = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var probabilities = PredictProbabilities(model, data.Features, batchSize, testTimeAugmentation, onBatch);
        var loss = MeanCrossEntropy(probabilities, data.Labels);
        var classes = data.ClassNames.Count;
        var confusion = new ConfusionMatrix(classes);
        confusion.Update(probabilities, data.Labels);
        var roc = new RocCurves(classes, inputsAreProbabilities: true);
        roc.Update(probabilities, data.Labels);
        var matrix = confusion.Compute();
        return new EvaluationReport(matrix.Accuracy, loss, matrix, roc.Compute(), data.Count)
        {
            Correct = probabilities.argmax(1).eq(data.Labels).data<bool>().ToArray(),
        };
    }
}
