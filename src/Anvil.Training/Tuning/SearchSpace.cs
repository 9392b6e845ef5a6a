using System.Text.Json.Nodes;
using Anvil.Training.Training;

namespace Anvil.Training.Tuning;

/// <summary>
/// A study's parameters in name order (so a seeded sampler draws them in the same order every time)
/// and how a set of values becomes a recipe (the base recipe's JSON with each parameter's field replaced) and a
/// model spec (the base spec with each <see cref="SpecField"/> replaced).
/// </summary>
/// <example>
/// <code>Recipe recipe = space.Apply(new Dictionary&lt;string, double&gt; { ["learning_rate"] = 0.01 });</code>
/// </example>
public sealed class SearchSpace
{
    private readonly JsonObject _baseRecipe;

    /// <summary>A space over <paramref name="baseRecipe"/>'s fields; the parameters must already be validated.</summary>
    public SearchSpace(JsonObject baseRecipe, IReadOnlyDictionary<string, ParameterRange> parameters)
    {
        ArgumentNullException.ThrowIfNull(baseRecipe);
        ArgumentNullException.ThrowIfNull(parameters);
        _baseRecipe = baseRecipe;
        Parameters = parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToArray();
    }

    /// <summary>Every parameter, ordered by name.</summary>
    public IReadOnlyList<(string Name, ParameterRange Range)> Parameters { get; }

    /// <summary>The base recipe with the given parameters' fields set; throws a user error when the result is no valid recipe.</summary>
    public Recipe Apply(IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var json = (JsonObject)_baseRecipe.DeepClone();
        foreach (var (name, range) in Parameters)
        {
            if (!SpecField.IsSpecField(name) && values.TryGetValue(name, out var value))
                json[name] = range.ToJson(value);
        }
        var recipe = Recipe.FromJson(json.ToJsonString(), "the study's recipe");
        recipe.Validate();
        return recipe;
    }

    /// <summary>True when some parameter sets a field of the model spec.</summary>
    public bool HasSpecFields => Parameters.Any(p => SpecField.IsSpecField(p.Name));

    /// <summary><paramref name="spec"/> with the spec fields among <paramref name="values"/> set; a user error when the spec refuses them.</summary>
    public Models.ModelSpec ApplySpec(Models.ModelSpec spec, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var fields = Parameters.Where(p => SpecField.IsSpecField(p.Name) && values.ContainsKey(p.Name))
            .Select(p => (p.Name, p.Range.ToJson(values[p.Name]))).ToList();
        return fields.Count == 0 ? spec : SpecField.Apply(spec, fields);
    }

    /// <summary>The values as recipe JSON text, one "name=value" per parameter, for tables and logs.</summary>
    public string Describe(IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Join(" ", Parameters.Where(p => values.ContainsKey(p.Name)).Select(p => $"{p.Name}={p.Range.ToText(values[p.Name])}"));
    }
}
