using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Anvil.Training.Training;
using Anvil.Training.Training.Callbacks;

namespace Anvil.Training.Tuning;

/// <summary>
/// A study file: what to optimise (a validation metric and its direction, or several <see cref="Objectives"/>), the
/// base recipe, the search space over recipe fields and model spec fields (<see cref="SpecField"/>), the sampler and
/// the pruner. Snake_case JSON; an unknown field is an error.
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
    /// <summary>"maximize" or "minimize"; must agree with the metric (accuracy up, loss and errors down). Not with <see cref="Objectives"/>.</summary>
    public string? Direction { get; init; }
    /// <summary>The validation metric a trial is judged by: val_accuracy, val_loss, val_mae or val_rmse (never a test figure). Not with <see cref="Objectives"/>.</summary>
    public string? Metric { get; init; }
    /// <summary>A multi-objective study's objectives, instead of metric and direction: its result is a Pareto front, not one best trial.</summary>
    public IReadOnlyList<Objective>? Objectives { get; init; }
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

    /// <summary>True when the study has several objectives.</summary>
    [JsonIgnore]
    public bool IsMultiObjective => Objectives is not null;

    /// <summary>The study's objectives: <see cref="Objectives"/>, or the one metric and direction.</summary>
    [JsonIgnore]
    public IReadOnlyList<Objective> AllObjectives => Objectives ?? [new Objective { Metric = Metric ?? "", Direction = Direction ?? "" }];

    /// <summary>The validation metric each epoch reports (to the pruner and the plots): the metric, or the first validation objective.</summary>
    [JsonIgnore]
    public string ReportedMetric => AllObjectives.FirstOrDefault(g => !g.IsMeasured)?.Metric ?? "";

    /// <summary>True when larger values of <see cref="ReportedMetric"/> are better.</summary>
    [JsonIgnore]
    public bool Maximize => AllObjectives.FirstOrDefault(g => !g.IsMeasured)?.Maximize ?? false;

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
        _ => new TpeSampler(Seed, AllObjectives.Select(g => g.Maximize).ToArray(), StartupTrials),
    };

    /// <summary>The study as indented snake_case JSON, as stored with it in the registry.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TrainingJson.Options);

    private void Validate()
    {
        // The name becomes a folder of plots under the Anvil home: no path separators, no "..".
        Require(Name.Length is > 0 and <= 100 && char.IsAsciiLetterOrDigit(Name[0]) && Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'),
            $"name '{Name}' is not a plain name; use up to 100 letters, digits, '-', '_' or '.', starting with a letter or digit");
        ValidateObjectives();
        Require(Sampler is "tpe" or "random" or "grid", $"sampler '{Sampler}' is unknown; use tpe, random or grid");
        Require(StartupTrials >= 1, $"startup_trials must be 1 or more, got {StartupTrials}");
        Require(Limit is null or > 0, $"limit must be positive, got {Limit}");
        Require(Space.Count > 0, "space is empty; add at least one parameter, e.g. \"learning_rate\": { \"type\": \"float\", \"low\": 1e-4, \"high\": 1e-1, \"log\": true }");
        Pruner?.Validate();
        Require(Pruner is null || !IsMultiObjective, "a multi-objective study cannot be pruned (a trial behind on one objective may lead on another; Optuna refuses it too); remove \"pruner\"");
        var fields = TrainingJson.Options.GetTypeInfo(typeof(Recipe)).Properties.Select(p => p.Name).ToHashSet();
        var empty = new Dictionary<string, double>();
        var space = SearchSpace();
        CheckRecipe(space, empty, "the base recipe");
        foreach (var (name, range) in space.Parameters.Where(p => SpecField.IsSpecField(p.Name)))
        {
            SpecField.Parse(name).Check(name, BaseLayers(name), (string)Recipe["model"]!);
            range.Validate(name);
        }
        foreach (var (name, range) in space.Parameters.Where(p => !SpecField.IsSpecField(p.Name)))
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

    private void ValidateObjectives()
    {
        if (Objectives is null)
        {
            Require(Metric is not null && Direction is not null, "the study needs \"metric\" and \"direction\", or \"objectives\" for several, e.g. [{\"metric\": \"val_accuracy\", \"direction\": \"maximize\"}, {\"metric\": \"latency_ms\", \"direction\": \"minimize\"}]");
        }
        else
        {
            Require(Metric is null && Direction is null, "give either \"metric\" and \"direction\" or \"objectives\", not both; remove metric and direction for a multi-objective study");
            Require(Objectives.Count >= 2, $"objectives has {Objectives.Count} entr{(Objectives.Count == 1 ? "y" : "ies")}; give two or more, or use \"metric\" and \"direction\" for one");
            Require(Objectives.Select(o => o.Metric).Distinct().Count() == Objectives.Count, "objectives names a metric twice; give each metric once");
            Require(Objectives.Any(o => !o.IsMeasured), $"objectives needs a validation metric ({string.Join(", ", ValidationMetrics)}): a trial is trained and judged on it");
        }
        foreach (var objective in AllObjectives)
        {
            var what = Objectives is null ? "" : "objectives: ";
            Require(objective.Direction is "maximize" or "minimize", $"{what}direction '{objective.Direction}' is unknown; use maximize or minimize");
            Require(ValidationMetrics.Contains(objective.Metric) || (Objectives is not null && objective.IsMeasured),
                $"{what}metric '{objective.Metric}' is not a validation metric; use one of {string.Join(", ", ValidationMetrics)}{(Objectives is null ? "" : $", {Objective.LatencyMs} or {Objective.Bytes}")} (a study never looks at the test set)");
            var maximize = Objective.MaximizeOf(objective.Metric);
            Require(objective.Maximize == maximize, $"{what}direction {objective.Direction} does not fit {objective.Metric}; {objective.Metric} is better when {(maximize ? "larger (maximize)" : "smaller (minimize)")}");
        }
    }

    // The base spec's layers, which spec fields index: the recipe's model must be named, a built-in or a spec file.
    private IReadOnlyList<Models.LayerSpec> BaseLayers(string name)
    {
        Require(!Space.ContainsKey("model"), $"space.{name} sets a field of the model spec, so the model cannot vary too; remove space.model");
        Require(Recipe["model"] is JsonValue value && value.TryGetValue<string>(out _), $"space.{name} sets a field of the model spec, but the recipe names no model to start from; add \"model\" to the recipe (a built-in such as seed-cnn, or a spec file)");
        var model = (string)Recipe["model"]!;
        if (Models.BuiltInModels.Contains(model))
            return Models.BuiltInModels.Create(model, [1, 28, 28], ["a", "b"], vocabularySize: 2).Layers; // a built-in's layers do not depend on the data
        try
        {
            var layers = JsonNode.Parse(Models.ModelSpec.ReadText(model))?["layers"];
            return layers?.Deserialize<List<Models.LayerSpec>>(TrainingJson.Options) is { Count: > 0 } list
                ? list
                : throw new InvalidDataException("it has no \"layers\"");
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"Invalid study: space.{name}: the recipe's model '{model}' cannot be read: {e.Message.Split('\n')[0]} Name a built-in model ({string.Join(", ", Models.BuiltInModels.AllNames)}) or a readable spec file.", e);
        }
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
