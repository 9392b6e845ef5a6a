using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Anvil.Training.Training;
using Anvil.Training.Training.Callbacks;

namespace Anvil.Training.Tuning;

/// <summary>
/// A study file: what to optimise (a validation metric and its direction), the base recipe, the search
/// space over recipe fields, the sampler and the pruner. Snake_case JSON; an unknown field is an error.
/// </summary>
/// <example>
/// <code>
/// var study = StudyDefinition.Load("samples/tune/fmnist.json");
/// Recipe recipe = study.Space().Apply(sampler.Sample(study.Space(), trials, 0)!);
/// </code>
/// </example>
public sealed record StudyDefinition
{
    private static readonly string[] ValidationMetrics = MonitoredMetric.Names.Where(n => n.StartsWith("val_", StringComparison.Ordinal)).ToArray();

    /// <summary>The study's name, unique in the registry; <c>anvil tune show NAME</c> finds it.</summary>
    public required string Name { get; init; }
    /// <summary>"maximize" or "minimize"; must agree with the metric (accuracy up, loss and errors down).</summary>
    public required string Direction { get; init; }
    /// <summary>The validation metric a trial is judged by: val_accuracy, val_loss, val_mae or val_rmse (never a test figure).</summary>
    public required string Metric { get; init; }
    /// <summary>"tpe" (default), "random" or "grid".</summary>
    public string Sampler { get; init; } = "tpe";
    /// <summary>TPE: trials sampled at random before the Parzen estimators take over.</summary>
    public int StartupTrials { get; init; } = 10;
    /// <summary>Seeds the sampler; the same seed and the same finished trials give the same next parameters.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Null trains every trial to the end.</summary>
    public PrunerSettings? Pruner { get; init; }
    /// <summary>Use only the first this many samples of each split in every trial (a fast dev study), as --limit does.</summary>
    public int? Limit { get; init; }
    /// <summary>The base recipe's fields; the space's parameters replace some of them in each trial.</summary>
    public JsonObject Recipe { get; init; } = [];
    /// <summary>The parameters, by recipe field name.</summary>
    public Dictionary<string, ParameterRange> Space { get; init; } = [];

    /// <summary>True when the recipe or the space names the model; otherwise the data's input kind picks it, as in <c>anvil train</c>.</summary>
    [JsonIgnore]
    public bool NamesModel => Recipe.ContainsKey("model") || Space.ContainsKey("model");

    /// <summary>True when larger values of the metric are better.</summary>
    [JsonIgnore]
    public bool Maximize => Direction == "maximize";

    /// <summary>Reads and validates a study file.</summary>
    public static StudyDefinition Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Study file '{path}' does not exist. See samples/tune/fmnist.json for an example.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates a study; every mistake is one line naming the field.</summary>
    public static StudyDefinition Parse(string json, string source = "study")
    {
        StudyDefinition study;
        try
        {
            study = JsonSerializer.Deserialize<StudyDefinition>(json, TrainingJson.Options) ?? throw new InvalidDataException($"{source} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a valid study: {e.Message.Split('\n')[0]}", e);
        }
        study.Validate();
        return study;
    }

    /// <summary>The search space over the base recipe.</summary>
    public SearchSpace SearchSpace() => new(Recipe, Space);

    /// <summary>The sampler the study names, seeded with <see cref="Seed"/>.</summary>
    public ISampler CreateSampler() => Sampler switch
    {
        "random" => new RandomSampler(Seed),
        "grid" => new GridSampler(),
        _ => new TpeSampler(Seed, Maximize, StartupTrials),
    };

    /// <summary>The study as indented snake_case JSON, as stored with it in the registry.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TrainingJson.Options);

    private void Validate()
    {
        // The name becomes a folder of plots under the Anvil home: no path separators, no "..".
        Require(Name.Length is > 0 and <= 100 && char.IsAsciiLetterOrDigit(Name[0]) && Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'),
            $"name '{Name}' is not a plain name; use up to 100 letters, digits, '-', '_' or '.', starting with a letter or digit");
        Require(Direction is "maximize" or "minimize", $"direction '{Direction}' is unknown; use maximize or minimize");
        Require(ValidationMetrics.Contains(Metric), $"metric '{Metric}' is not a validation metric; use one of {string.Join(", ", ValidationMetrics)} (a study never looks at the test set)");
        Require(Maximize == MonitoredMetric.Maximize(Metric), $"direction {Direction} does not fit {Metric}; {Metric} is better when {(MonitoredMetric.Maximize(Metric) ? "larger (maximize)" : "smaller (minimize)")}");
        Require(Sampler is "tpe" or "random" or "grid", $"sampler '{Sampler}' is unknown; use tpe, random or grid");
        Require(StartupTrials >= 1, $"startup_trials must be 1 or more, got {StartupTrials}");
        Require(Limit is null or > 0, $"limit must be positive, got {Limit}");
        Require(Space.Count > 0, "space is empty; add at least one parameter, e.g. \"learning_rate\": { \"type\": \"float\", \"low\": 1e-4, \"high\": 1e-1, \"log\": true }");
        Pruner?.Validate();
        var fields = TrainingJson.Options.GetTypeInfo(typeof(Recipe)).Properties.Select(p => p.Name).ToHashSet();
        var empty = new Dictionary<string, double>();
        var space = SearchSpace();
        CheckRecipe(space, empty, "the base recipe");
        foreach (var (name, range) in space.Parameters)
        {
            Require(fields.Contains(name), $"space.{name} is not a recipe field; use one of {string.Join(", ", fields.Order())}");
            range.Validate(name);
            var ends = range.IsCategorical ? Enumerable.Range(0, range.Choices!.Count).Select(i => (double)i) : [range.Low!.Value, range.High!.Value];
            foreach (var end in ends)
                CheckRecipe(space, new Dictionary<string, double> { [name] = end }, $"space.{name} = {range.ToText(end)}");
        }
        if (Sampler == "grid")
            GridSampler.Size(space);
    }

    // Every end of every range must give a valid recipe that keeps a validation split: a trial is judged on it.
    private static void CheckRecipe(SearchSpace space, Dictionary<string, double> values, string what)
    {
        Recipe recipe;
        try
        {
            recipe = space.Apply(values);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"Invalid study: {what}: {e.Message}", e);
        }
        Require(recipe.ValidationFraction > 0, $"{what} has validation_fraction {recipe.ValidationFraction}; set recipe.validation_fraction above 0 (e.g. 0.1), a trial is judged on the validation split");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new InvalidDataException($"Invalid study: {message}.");
    }
}
