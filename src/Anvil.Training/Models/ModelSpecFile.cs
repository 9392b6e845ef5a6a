using System.Text.Json;
using System.Text.Json.Nodes;
using Anvil.Training.Data;

namespace Anvil.Training.Models;

/// <summary>
/// A spec file a user passes with <c>--model</c>: it needs to state only the architecture (its layers). What the data
/// already says — <c>input_shape</c>, <c>class_names</c>, <c>input_kind</c> and <c>head</c> — is filled in from the
/// data when the file leaves it out, and <c>name</c> defaults to the file's name. A field the file does state is kept,
/// for the caller to check against the data. The spec it returns is complete, as a run's artifacts store it.
/// </summary>
/// <example>
/// <code>var spec = ModelSpecFile.Load("wide-mlp.json", [4], ["setosa", "versicolor", "virginica"], InputKinds.Features, TaskKind.Classification);</code>
/// </example>
public static class ModelSpecFile
{
    /// <exception cref="InvalidDataException">The file is not a valid spec once completed; the message says which field and why.</exception>
    public static ModelSpec Load(string path, int[] inputShape, string[] classNames, string inputKind, TaskKind head)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(classNames);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(ModelSpec.ReadText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid model spec: {e.Message}", e);
        }
        if (node is not JsonObject spec)
            throw new InvalidDataException($"{path} is not a valid model spec: expected a JSON object with at least \"layers\".");
        Default(spec, "name", () => Path.GetFileNameWithoutExtension(path));
        Default(spec, "input_shape", () => new JsonArray([.. inputShape.Select(d => JsonValue.Create(d))]));
        Default(spec, "class_names", () => new JsonArray([.. classNames.Select(n => JsonValue.Create(n))]));
        Default(spec, "input_kind", () => inputKind);
        Default(spec, "head", () => JsonSerializer.SerializeToNode(head)!);
        return ModelSpec.Parse(spec.ToJsonString(), path);
    }

    private static void Default(JsonObject spec, string field, Func<JsonNode> fromData)
    {
        if (!spec.ContainsKey(field))
            spec[field] = fromData();
    }
}
