using Anvil.Preprocessing.Text;
using Anvil.Training.Data;
using Anvil.Training.Models;

namespace Anvil.Serving.Tests.Support;

/// <summary>
/// A text classifier (embedding + GRU + sequence_pool + dense) and a forecaster (GRU + sequence_pool + dense,
/// regression head) with random weights, registered through the real ModelVersionBuilder: nothing is trained.
/// </summary>
public static class SequenceVersions
{
    public const int MaxLength = 8;
    public const int Window = 72;
    public const int Horizon = 24;
    public static readonly string[] TextClasses = ["ham", "spam"];

    /// <summary>Texts the vocabulary is fitted on (every word once is enough with MinCount 1).</summary>
    public static readonly string[] TrainingTexts = ["Win a free cruise now", "meeting moved to noon", "free money for the meeting", "lunch at noon?"];

    public static TextTokenizerOptions TokenizerOptions { get; } = new(MaxLength: MaxLength, Lowercase: true, MaxWords: 100, MinCount: 1);

    /// <summary>
    /// Registers acme's "spam" text model; its vocabulary is fitted on <paramref name="texts"/> (default
    /// <see cref="TrainingTexts"/>) with <paramref name="options"/> (default <see cref="TokenizerOptions"/>).
    /// </summary>
    public static ModelVersion AddText(ServingHost host, string name = "spam", int seed = 1, IEnumerable<string>? texts = null, TextTokenizerOptions? options = null)
    {
        options ??= TokenizerOptions;
        var vocabulary = TextVocabulary.Fit(texts ?? TrainingTexts, options);
        var path = Path.Combine(host.Directory, $"vocab-{Guid.NewGuid():N}.txt");
        vocabulary.Save(path);
        var spec = new ModelSpec
        {
            Name = "tiny-text-gru",
            InputShape = [options.MaxLength],
            InputKind = InputKinds.Tokens,
            ClassNames = TextClasses,
            Tokenizer = options,
            Layers =
            [
                new() { Type = LayerTypes.Embedding, VocabularySize = vocabulary.Count, Units = 8 },
                new() { Type = LayerTypes.Gru, Units = 8, ReturnSequences = true },
                new() { Type = LayerTypes.SequencePool, Pooling = "mean" },
                new() { Type = LayerTypes.Dense },
            ],
        };
        return host.AddVersion(host.Acme, name, seed, spec, path);
    }

    /// <summary>Registers acme's "weather" forecaster: 72 hourly values in, 24 out, in the targets' unit.</summary>
    public static ModelVersion AddForecaster(ServingHost host, string name = "weather", int seed = 1)
    {
        var spec = new ModelSpec
        {
            Name = "tiny-forecaster",
            InputShape = [Window, 1],
            Head = TaskKind.Regression,
            ClassNames = [.. Enumerable.Range(1, Horizon).Select(h => $"t+{h}")],
            Preprocessing = new PreprocessingSpec
            {
                Mean = [11f],
                Std = [6f],
                TargetMean = [.. Enumerable.Repeat(11f, Horizon)],
                TargetStd = [.. Enumerable.Repeat(6f, Horizon)],
            },
            Layers =
            [
                new() { Type = LayerTypes.Gru, Units = 8, ReturnSequences = true },
                new() { Type = LayerTypes.SequencePool, Pooling = "last" },
                new() { Type = LayerTypes.Dense },
            ],
        };
        return host.AddVersion(host.Acme, name, seed, spec);
    }

    /// <summary>A window of hourly temperatures around 11 °C from <paramref name="seed"/>.</summary>
    public static float[] Window72(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Window).Select(h => 11f + 5f * MathF.Sin(h * MathF.PI / 12) + (float)random.NextDouble())];
    }
}
