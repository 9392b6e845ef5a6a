using Anvil.Registry.Versions;
using Anvil.Serving.Inputs;

namespace Anvil.Serving.Api;

/// <summary>
/// The answer to a predict request and the prediction log rows, both naming the caller's own version. A
/// classifier's row holds its label and probabilities; a forecaster's holds the forecast where the
/// probabilities go, with no label (-1, ""). A text model's row holds the text as UTF-8 (input shape
/// "text"), not its token ids; a CSV model's sample sent by name holds the JSON object as sent (input shape
/// "json"), not the filled and clipped values.
/// </summary>
public static class PredictResponses
{
    /// <summary>The input shape logged with a text.</summary>
    public const string TextShape = "text";

    /// <summary>The input shape logged with a CSV model's sample sent as named features: the JSON object as sent.</summary>
    public const string NamedShape = "json";

    public static (PredictResponse Response, List<PredictionRecord> Records) Build(
        string requestId, ModelVersion version, ModelManifest manifest, ModelInput input, IReadOnlyList<long> sampleShape, float[] outputs)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentNullException.ThrowIfNull(outputs);
        var labels = manifest.Signature.ClassLabels;
        var width = labels.Count;
        var forecaster = manifest.OutputKind == ModelManifest.Values;
        var valuesShape = input.Texts is null ? string.Join(",", sampleShape) : TextShape;
        var results = new List<PredictionResult>(input.Count);
        var records = new List<PredictionRecord>(input.Count);
        for (var i = 0; i < input.Count; i++)
        {
            var row = outputs.AsSpan(i * width, width);
            var id = ServerIds.New("pred_");
            var truncated = input.Truncated?[i];
            var shape = input.SentObjects?[i] is null ? valuesShape : NamedShape;
            if (forecaster)
            {
                var forecast = row.ToArray(); // the answer and the log row share it: neither changes it
                results.Add(new PredictionResult { Id = id, Forecast = forecast, Truncated = truncated, Version = version.Version });
                records.Add(new PredictionRecord(id, version.ModelName, version.Version, input.LoggedBytes(i), shape, -1, "", forecast));
                continue;
            }

            var best = 0;
            var byLabel = new Dictionary<string, float>(width, StringComparer.Ordinal);
            for (var c = 0; c < width; c++)
            {
                byLabel[labels[c]] = row[c];
                if (row[c] > row[best])
                    best = c;
            }

            results.Add(new PredictionResult { Id = id, Label = labels[best], LabelIndex = best, Probabilities = byLabel, Truncated = truncated, Version = version.Version });
            records.Add(new PredictionRecord(id, version.ModelName, version.Version, input.LoggedBytes(i), shape, best, labels[best], row.ToArray()));
        }

        return (new PredictResponse(requestId, version.ModelName, version.Version, results), records);
    }
}
