using System.Globalization;
using System.Text.Json;
using Anvil.Preprocessing.Text;
using Anvil.Training.Data;
using Anvil.Training.Data.Series;

namespace Anvil.Training.Training;

/// <summary>
/// Everything that decides how a model is trained, as data: saved with every run so it can be
/// repeated, and overridable from the command line.
/// </summary>
/// <example>
/// <code>var recipe = Recipe.Default with { Epochs = 5 };</code>
/// </example>
public sealed record Recipe
{
    /// <summary>
    /// The data to train on, as <c>--data</c> takes it (which overrides it): a built-in data set's name,
    /// a .csv file or a folder, relative to the current directory. Null trains on Fashion-MNIST.
    /// </summary>
    public string? Data { get; init; }
    /// <summary>Built-in model name (see <c>BuiltInModels.Names</c>) or the path of a JSON model spec.</summary>
    public string Model { get; init; } = "vgg-small";
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 64;
    /// <summary>
    /// Batches per epoch (Keras's <c>steps_per_epoch</c>), drawn from a fresh shuffle of all training examples each
    /// epoch; null or more than the data holds takes one pass over it. Makes epochs a fixed budget on large data.
    /// </summary>
    public int? StepsPerEpoch { get; init; }
    /// <summary>"sgd" (with momentum, optionally Nesterov), "adam" or "adamw".</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>Peak learning rate (the constant rate when <see cref="Schedule"/> is "constant").</summary>
    public double LearningRate { get; init; } = 1e-3;
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; } = true;
    public double WeightDecay { get; init; }
    /// <summary>"constant", "onecycle" (linear warm-up then linear decay) or "cosine".</summary>
    public string Schedule { get; init; } = "constant";
    /// <summary>Fraction of all steps spent warming up (onecycle and cosine).</summary>
    public double WarmupFraction { get; init; } = 0.2;
    /// <summary>Cross-entropy label smoothing in [0, 1).</summary>
    public double LabelSmoothing { get; init; }
    /// <summary>Decay of the exponential moving average of weights; null turns weight EMA off.</summary>
    public double? EmaDecay { get; init; }
    /// <summary>Random translation by up to this many pixels (pad and crop); 0 turns it off.</summary>
    public int CropPadding { get; init; }
    public bool HorizontalFlip { get; init; }
    /// <summary>Side of the square cutout erases from each training image (0 turns it off).</summary>
    public int Cutout { get; init; }
    /// <summary>Fraction of the training data held out for validation (stratified); 0 trains on all of it.</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>Average predictions over the image and its mirror at evaluation time.</summary>
    public bool TestTimeAugmentation { get; init; }
    public int Seed { get; init; } = 42;
    /// <summary>What a CSV reader does with a missing feature cell: fail, drop-row, mean or median (fitted on the training rows).</summary>
    public MissingValuePolicy MissingValues { get; init; } = MissingValuePolicy.Fail;
    /// <summary>"WIDTHxHEIGHT", e.g. "32x32": resize every image of an image folder on load; null takes the first image's size and refuses others.</summary>
    public string? Resize { get; init; }
    /// <summary>
    /// Intra-op CPU threads for training; null keeps libtorch's default (one per core). A recurrent model's steps
    /// are many tiny operations, and two threads that wait on each other at every one of them ran 8-9x slower than
    /// one thread on a busy 2-core machine (samples/spam/README.md).
    /// </summary>
    public int? Threads { get; init; }
    /// <summary>For a text corpus: how texts become token ids (max_length, lowercase, max_words, min_count); null takes the defaults.</summary>
    public TextTokenizerOptions? Text { get; init; }
    /// <summary>Makes the CSV data a time series to forecast: windows, horizon and a chronological split; null reads rows to classify.</summary>
    public SeriesOptions? Series { get; init; }
    /// <summary>Trains the model as the student of a finished classifier run (teacher, temperature, weight); null trains from the labels alone.</summary>
    public DistillationOptions? Distill { get; init; }
    /// <summary>Trains a DCGAN generator on the data's images instead of a classifier (both optimisers, noise length, quality samples); null trains a model of the data's task.</summary>
    public GanOptions? Gan { get; init; }
    /// <summary>Train with DP-SGD to an (ε, δ) budget: the <c>"privacy"</c> section (see <see cref="PrivacyOptions"/>).</summary>
    public PrivacyOptions? Privacy { get; init; }
    /// <summary>Train on adversarial examples (PGD or fast FGSM within an ε-ball): the <c>"adversarial"</c> section (see <see cref="AdversarialOptions"/>).</summary>
    public AdversarialOptions? Adversarial { get; init; }
    /// <summary>Fine-tunes a pretrained backbone with a new head for the data's classes (weights, image size, layer groups, a from-scratch comparison); null trains from random initialisation.</summary>
    public Transfer.TransferOptions? Transfer { get; init; }

    /// <summary>
    /// The default recipe: the fast-training ingredients (batch norm network, one-cycle SGD with
    /// Nesterov momentum, label smoothing, flip augmentation, weight EMA, ten-view test-time
    /// augmentation, in-memory tensors) sized for 2 CPU cores. Random crops are available
    /// (<see cref="CropPadding"/>) but cost accuracy at this budget. See docs/decisions/0002-default-recipe.md.
    /// </summary>
    public static Recipe Default { get; } = new()
    {
        Model = "vgg-small",
        Epochs = 10,
        BatchSize = 256,
        Optimizer = "sgd",
        LearningRate = 0.2,
        Momentum = 0.9,
        Nesterov = true,
        WeightDecay = 5e-4,
        Schedule = "onecycle",
        WarmupFraction = 0.25,
        LabelSmoothing = 0.1,
        EmaDecay = 0.99,
        CropPadding = 0,
        HorizontalFlip = true,
        ValidationFraction = 0.0,
        TestTimeAugmentation = true,
    };

    /// <summary>The article's recipe: seed-cnn, Adam at 1e-3, batch 64, no augmentation.</summary>
    public static Recipe SeedCnn { get; } = new() { Model = "seed-cnn", Epochs = 5, BatchSize = 64, Optimizer = "adam", LearningRate = 1e-3 };

    /// <summary>The built-in recipe for a model name: its own for seed-cnn, the default otherwise.</summary>
    public static Recipe ForModel(string model) => model == "seed-cnn" ? SeedCnn : Default with { Model = model };

    /// <summary>Batches in each epoch over <paramref name="examples"/> training examples: one pass, or <see cref="StepsPerEpoch"/> when fewer.</summary>
    public int BatchesPerEpoch(int examples) => Math.Min((examples + BatchSize - 1) / BatchSize, StepsPerEpoch ?? int.MaxValue);

    /// <summary>Examples each epoch trains on: all <paramref name="examples"/>, or fewer with <see cref="StepsPerEpoch"/>.</summary>
    public int SamplesPerEpoch(int examples) => Math.Min(examples, BatchesPerEpoch(examples) * BatchSize);

    /// <summary>Checks every field and throws one error naming the field, its value and the valid range.</summary>
    public void Validate()
    {
        Require(Epochs > 0, $"epochs must be positive, got {Epochs}.");
        Require(BatchSize > 0, $"batch_size must be positive, got {BatchSize}.");
        Require(StepsPerEpoch is null or > 0, $"steps_per_epoch must be 1 or more, or left out for one pass over the data per epoch, got {StepsPerEpoch}.");
        Require(Optimizer is "sgd" or "adam" or "adamw", $"optimizer '{Optimizer}' is unknown; use sgd, adam or adamw.");
        Require(Schedule is "constant" or "onecycle" or "cosine", $"schedule '{Schedule}' is unknown; use constant, onecycle or cosine.");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"learning_rate must be positive, got {LearningRate}.");
        Require(WarmupFraction is >= 0 and < 1, $"warmup_fraction must be in [0, 1), got {WarmupFraction}.");
        Require(LabelSmoothing is >= 0 and < 1, $"label_smoothing must be in [0, 1), got {LabelSmoothing}.");
        Require(EmaDecay is null or (> 0 and < 1), $"ema_decay must be in (0, 1), got {EmaDecay}.");
        Require(CropPadding >= 0, $"crop_padding must be 0 or more, got {CropPadding}.");
        Require(Cutout >= 0, $"cutout must be 0 or more, got {Cutout}.");
        Require(ValidationFraction is >= 0 and < 1, $"validation_fraction must be in [0, 1), got {ValidationFraction}.");
        Require(WeightDecay >= 0, $"weight_decay must be 0 or more, got {WeightDecay}.");
        Require(Threads is null or > 0, $"threads must be 1 or more, got {Threads}.");
        Require(Resize is null || ParseSize(Resize) is not null, $"resize must be WIDTHxHEIGHT with positive numbers, e.g. 32x32, got '{Resize}'.");
        try
        {
            Text?.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentException($"Invalid recipe: text.{e.Message[..e.Message.IndexOf(" (Parameter", StringComparison.Ordinal)]} Got {e.ActualValue}.");
        }
        Series?.Validate();
        Distill?.Validate();
        Gan?.Validate();
        Transfer?.Validate();
        Require(Gan is null || Distill is null, "gan and distill cannot be combined; remove one of them.");
        Privacy?.Validate();
        Require(Privacy is null || (Gan is null && Distill is null), "privacy (DP-SGD) trains a classifier or regressor on its own data; remove gan or distill.");
        Require(Transfer is null || (Gan is null && Distill is null && Privacy is null), "transfer cannot be combined with gan, distill or privacy; remove one of them.");
        Adversarial?.Validate();
        Require(Adversarial is null || (Privacy is null && Gan is null && Distill is null && Transfer is null), "adversarial training cannot be combined with privacy, gan, distill or transfer; remove one of them.");
    }

    /// <summary>The <see cref="Resize"/> size, or null when images keep their size.</summary>
    public (int Width, int Height)? ImageSize() => Resize is null ? null
        : ParseSize(Resize) ?? throw new ArgumentException($"Invalid recipe: resize must be WIDTHxHEIGHT with positive numbers, e.g. 32x32, got '{Resize}'.");

    private static (int, int)? ParseSize(string text)
    {
        var parts = text.Split('x', 'X');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width > 0
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height) && height > 0
            ? (width, height) : null;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException($"Invalid recipe: {message}");
    }

    /// <summary>The recipe as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TrainingJson.Options);

    /// <summary>Parses a recipe from JSON; unknown fields are errors.</summary>
    public static Recipe FromJson(string json, string source = "recipe")
    {
        try
        {
            return JsonSerializer.Deserialize<Recipe>(json, TrainingJson.Options)
                ?? throw new InvalidDataException($"{source} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a valid recipe: {e.Message}", e);
        }
    }
}
