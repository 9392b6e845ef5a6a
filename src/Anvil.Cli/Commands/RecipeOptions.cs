using System.CommandLine;
using System.Text.Json;
using Anvil.Training.Data;
using Anvil.Training.Training;

namespace Anvil.Cli.Commands;

/// <summary>Options that override the recipe, shared by train and cv.</summary>
internal sealed class RecipeOptions
{
    public Option<string?> Model { get; } = new("--model") { Description = "vgg-small, resnet-small, resnet-18, seed-cnn, mlp, text-gru, series-gru, or the path of a JSON model spec (default: vgg-small for images, mlp for CSV features, text-gru for texts, series-gru for a recipe's \"series\"). seed-cnn also selects the article's recipe (Adam, batch 64)." };
    public Option<string?> RecipeFile { get; } = new("--recipe") { Description = "A JSON recipe file; options given on the command line override its fields." };
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Number of epochs." };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Samples per batch." };
    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Peak learning rate." };
    public Option<string?> Optimizer { get; } = new("--optimizer") { Description = "sgd, adam or adamw." };
    public Option<string?> Schedule { get; } = new("--schedule") { Description = "constant, onecycle or cosine." };
    public Option<double?> ValidationFraction { get; } = new("--validation-fraction") { Description = "Share of the training data held out for per-epoch validation (0 to 1)." };
    public Option<int?> Seed { get; } = new("--seed") { Description = "Random seed for weights, shuffling, splits and augmentation." };
    public Option<string?> MissingValues { get; } = new("--missing-values") { Description = "CSV cells that are empty or NA: fail (default), drop-row, mean or median (fitted on the training rows)." };
    public Option<string?> Resize { get; } = new("--resize") { Description = "Resize every image of an image folder on load, e.g. 32x32 (WIDTHxHEIGHT); default: all images must share the first one's size." };
    public Option<double?> DpEpsilon { get; } = new("--dp-epsilon") { Description = "Train with DP-SGD to this ε budget (e.g. 3): per-example clipping, Gaussian noise chosen to spend exactly the budget over the epochs, Poisson sampling. The recipe's privacy section." };
    public Option<double?> DpDelta { get; } = new("--dp-delta") { Description = "δ of the DP-SGD budget (default 1e-5); must be below 1 / training examples." };
    public Option<double?> DpClip { get; } = new("--dp-clip") { Description = "DP-SGD's per-example gradient clipping norm C (default 1.0)." };
    public Option<double?> AdvEpsilon { get; } = new("--adv-epsilon") { Description = "Train on adversarial examples within this ε on pixels scaled to [0, 1] (e.g. 0.1): the recipe's adversarial section (PGD-7, L∞, random start unless it says otherwise)." };
    public Option<string?> AdvMethod { get; } = new("--adv-method") { Description = "pgd (Madry et al.; default) or fgsm (one step of 1.25ε from a random start, Wong et al. 2020)." };
    public Option<int?> AdvSteps { get; } = new("--adv-steps") { Description = "PGD steps per batch in adversarial training (default 7)." };
    public Option<string?> Teacher { get; } = new("--teacher") { Description = "Distil from this finished classifier run (id or prefix): the recipe's distill.teacher, with its temperature and weight or 4 and 0.7." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, RecipeFile, Epochs, BatchSize, LearningRate, Optimizer, Schedule, ValidationFraction, Seed, MissingValues, Resize, Teacher, DpEpsilon, DpDelta, DpClip, AdvEpsilon, AdvMethod, AdvSteps })
            command.Options.Add(option);
    }

    public Recipe Read(ParseResult p)
    {
        var file = p.GetValue(RecipeFile);
        var model = p.GetValue(Model);
        var recipe = file is not null
            ? Recipe.FromJson(File.Exists(file) ? File.ReadAllText(file) : throw new FileNotFoundException($"Recipe file '{file}' does not exist.", file), file)
            : Recipe.ForModel(model ?? Recipe.Default.Model);
        recipe = recipe with
        {
            Model = model ?? recipe.Model,
            Epochs = p.GetValue(Epochs) ?? recipe.Epochs,
            BatchSize = p.GetValue(BatchSize) ?? recipe.BatchSize,
            LearningRate = p.GetValue(LearningRate) ?? recipe.LearningRate,
            Optimizer = p.GetValue(Optimizer) ?? recipe.Optimizer,
            Schedule = p.GetValue(Schedule) ?? recipe.Schedule,
            ValidationFraction = p.GetValue(ValidationFraction) ?? recipe.ValidationFraction,
            Seed = p.GetValue(Seed) ?? recipe.Seed,
            MissingValues = p.GetValue(MissingValues) is { } missing ? ParseMissingValues(missing) : recipe.MissingValues,
            Resize = p.GetValue(Resize) ?? recipe.Resize,
            Distill = p.GetValue(Teacher) is { } teacher ? (recipe.Distill ?? new DistillationOptions { Teacher = teacher }) with { Teacher = teacher } : recipe.Distill,
            Privacy = ReadPrivacy(p, recipe.Privacy),
            Adversarial = ReadAdversarial(p, recipe.Adversarial),
        };
        recipe.Validate();
        return recipe;
    }

    // --dp-epsilon starts a privacy section (or overrides the recipe's); --dp-delta and --dp-clip only refine one.
    private PrivacyOptions? ReadPrivacy(ParseResult p, PrivacyOptions? privacy)
    {
        var (epsilon, delta, clip) = (p.GetValue(DpEpsilon), p.GetValue(DpDelta), p.GetValue(DpClip));
        if (epsilon is null && privacy is null)
            return delta is null && clip is null ? null : throw new ArgumentException("--dp-delta and --dp-clip refine DP-SGD training; add --dp-epsilon with the ε budget, e.g. --dp-epsilon 3.");
        privacy ??= new PrivacyOptions();
        return privacy with { Epsilon = epsilon ?? privacy.Epsilon, Delta = delta ?? privacy.Delta, MaxGradNorm = clip ?? privacy.MaxGradNorm };
    }

    // --adv-epsilon starts an adversarial section (or overrides the recipe's); --adv-method and --adv-steps only refine one.
    private AdversarialOptions? ReadAdversarial(ParseResult p, AdversarialOptions? adversarial)
    {
        var (epsilon, method, steps) = (p.GetValue(AdvEpsilon), p.GetValue(AdvMethod), p.GetValue(AdvSteps));
        if (epsilon is null && adversarial is null)
            return method is null && steps is null ? null : throw new ArgumentException("--adv-method and --adv-steps refine adversarial training; add --adv-epsilon with the ε, e.g. --adv-epsilon 0.1.");
        adversarial ??= new AdversarialOptions();
        return adversarial with { Epsilon = epsilon ?? adversarial.Epsilon, Method = method ?? adversarial.Method, Steps = steps ?? adversarial.Steps };
    }

    /// <summary>True when --model or the recipe file chose the model; otherwise the data's input kind picks it.</summary>
    public bool ModelGiven(ParseResult p)
    {
        if (p.GetValue(Model) is not null)
            return true;
        if (p.GetValue(RecipeFile) is not { } file)
            return false;
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("model", out _);
    }

    private static MissingValuePolicy ParseMissingValues(string text) => text switch
    {
        "fail" => MissingValuePolicy.Fail,
        "drop-row" => MissingValuePolicy.DropRow,
        "mean" => MissingValuePolicy.Mean,
        "median" => MissingValuePolicy.Median,
        _ => throw new ArgumentException($"--missing-values '{text}' is unknown; use fail, drop-row, mean or median."),
    };
}
