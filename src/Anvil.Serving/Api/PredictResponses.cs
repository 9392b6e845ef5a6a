using System.Security.Cryptography;
using Anvil.Registry.Versions;
using Anvil.Serving.Inputs;

namespace Anvil.Serving.Api;

/// <summary>The answer to a predict request and the prediction log rows, both naming the caller's own version.</summary>
public static class PredictResponses
{
    public static (PredictResponse Response, List<PredictionRecord> Records) Build(
        string requestId, ModelVersion version, ModelManifest manifest, ModelInput input, float[] probabilities)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(probabilities);
        var labels = manifest.Signature.ClassLabels;
        var classes = labels.Count;
        var shape = string.Join(",", manifest.Signature.Inputs[0].Shape.Skip(1));
        var results = new List<PredictionResult>(input.Count);
        var records = new List<PredictionRecord>(input.Count);
        for (var i = 0; i < input.Count; i++)
        {
            var row = probabilities.AsSpan(i * classes, classes);
            var best = 0;
            var byLabel = new Dictionary<string, float>(classes, StringComparer.Ordinal);
            for (var c = 0; c < classes; c++)
            {
                byLabel[labels[c]] = row[c];
                if (row[c] > row[best])
                    best = c;
            }

            var id = "pred_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            results.Add(new PredictionResult(id, labels[best], best, byLabel, version.Version));
            records.Add(new PredictionRecord(id, version.ModelName, version.Version, input.SampleBytes(i), shape, best, labels[best], row.ToArray()));
        }

        return (new PredictResponse(requestId, version.ModelName, version.Version, results), records);
    }
}
