using System.Globalization;
using System.Text.Json.Nodes;

namespace Anvil.Training.Tuning;

/// <summary>
/// One parameter of a study's search space, as written in the study file: a float (uniform, or
/// log-uniform with <c>"log": true</c>), an int (optionally log, optionally with a <c>step</c>) or a
/// categorical list of JSON values. Samplers work on its internal value: the number itself for
/// float and int, the index of the choice for a categorical.
/// </summary>
/// <example>
/// <code>{ "type": "float", "low": 1e-4, "high": 1e-1, "log": true }</code>
/// </example>
public sealed record ParameterRange
{
    /// <summary>"float", "int" or "categorical".</summary>
    public required string Type { get; init; }
    /// <summary>Lowest value (float and int).</summary>
    public double? Low { get; init; }
    /// <summary>Highest value, included (float and int).</summary>
    public double? High { get; init; }
    /// <summary>Sample the logarithm uniformly: for ranges spanning orders of magnitude, such as a learning rate.</summary>
    public bool Log { get; init; }
    /// <summary>Spacing of the values the grid sampler takes (float; int defaults to 1).</summary>
    public double? Step { get; init; }
    /// <summary>The values of a categorical parameter: strings, numbers, booleans or null.</summary>
    public IReadOnlyList<JsonNode?>? Choices { get; init; }

    /// <summary>True for a categorical parameter.</summary>
    public bool IsCategorical => Type == "categorical";

    /// <summary>True for an int parameter.</summary>
    public bool IsInt => Type == "int";

    /// <summary>Checks the range and throws one error naming the parameter and what to change.</summary>
    public void Validate(string name)
    {
        switch (Type)
        {
            case "float" or "int":
                if (Low is not { } low || High is not { } high || !double.IsFinite(low) || !double.IsFinite(high))
                    throw Invalid(name, $"a {Type} parameter needs finite low and high, e.g. \"low\": 0.001, \"high\": 0.1");
                if (low > high)
                    throw Invalid(name, $"low {Format(low)} is above high {Format(high)}; swap them");
                if (Log && low <= 0)
                    throw Invalid(name, $"a log range needs low > 0, got {Format(low)}; raise low or drop \"log\"");
                if (IsInt && (low != Math.Floor(low) || high != Math.Floor(high)))
                    throw Invalid(name, $"an int parameter needs whole low and high, got {Format(low)} and {Format(high)}");
                if (Step is { } step && (!(step > 0) || (IsInt && step != Math.Floor(step))))
                    throw Invalid(name, $"step must be positive{(IsInt ? " and whole" : "")}, got {Format(step)}");
                if (Choices is not null)
                    throw Invalid(name, $"a {Type} parameter takes low and high, not choices; use \"type\": \"categorical\" for a list");
                break;
            case "categorical":
                if (Choices is null || Choices.Count == 0)
                    throw Invalid(name, "a categorical parameter needs a non-empty \"choices\" list");
                if (Low is not null || High is not null || Log || Step is not null)
                    throw Invalid(name, "a categorical parameter takes only \"choices\"");
                break;
            default:
                throw Invalid(name, $"type '{Type}' is unknown; use float, int or categorical");
        }
    }

    /// <summary>The internal value as the recipe field's JSON value.</summary>
    public JsonNode? ToJson(double value) => Type switch
    {
        "categorical" => Choices![(int)value]?.DeepClone(),
        "int" => JsonValue.Create((long)Math.Round(value)),
        _ => JsonValue.Create(value),
    };

    /// <summary>The internal value as text for tables: the choice, the whole number or the float to 4 significant digits.</summary>
    public string ToText(double value) => Type == "float"
        ? value.ToString("G4", CultureInfo.InvariantCulture)
        : ToJson(value)?.ToJsonString() ?? "null";

    /// <summary>A uniform (log-uniform for a log range) random internal value.</summary>
    public double SampleUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (IsCategorical)
            return random.Next(Choices!.Count);
        var (low, high) = (Low!.Value, High!.Value);
        if (IsInt)
        {
            // Widen by half a step each side so the end values are as likely as the others after rounding.
            var (wideLow, wideHigh) = (low - 0.5, high + 0.5);
            var drawn = Log ? Math.Exp(Uniform(random, Math.Log(wideLow), Math.Log(wideHigh))) : Uniform(random, wideLow, wideHigh);
            return Math.Clamp(Math.Round(drawn), low, high);
        }
        return Log ? Math.Exp(Uniform(random, Math.Log(low), Math.Log(high))) : Uniform(random, low, high);
    }

    /// <summary>The values the grid sampler takes: every choice, every int step, or every float step from low to high.</summary>
    public IReadOnlyList<double> GridValues(string name)
    {
        if (IsCategorical)
            return Enumerable.Range(0, Choices!.Count).Select(i => (double)i).ToArray();
        var step = Step ?? (IsInt ? 1 : throw Invalid(name, "the grid sampler needs a step for a float parameter, e.g. \"step\": 0.1, or make it categorical"));
        var count = (long)Math.Floor((High!.Value - Low!.Value) / step + 1e-9) + 1;
        if (count > 10_000)
            throw Invalid(name, $"the grid would take {count:N0} values of it; raise step or narrow the range");
        return Enumerable.Range(0, (int)count).Select(i => Low.Value + i * step).ToArray();
    }

    private static double Uniform(Random random, double low, double high) => low + random.NextDouble() * (high - low);

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static InvalidDataException Invalid(string name, string message) => new($"Invalid study: space.{name}: {message}.");
}
