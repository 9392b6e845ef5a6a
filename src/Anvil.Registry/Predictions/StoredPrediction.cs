namespace Anvil.Registry.Predictions;

/// <summary>A predictions row as stored: its input and probabilities possibly sealed (see <see cref="PredictionRows.Open"/>).</summary>
internal sealed record StoredPrediction(
    string Id, string ModelName, int ModelVersion, byte[] Input, string InputShape, int Label, string LabelName, string Probabilities);
