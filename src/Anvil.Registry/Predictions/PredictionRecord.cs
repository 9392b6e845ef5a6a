namespace Anvil.Registry.Predictions;

/// <summary>
/// One logged prediction: the input exactly as received (float32 little-endian bytes, <paramref name="InputShape"/>
/// like "1,28,28"; for a text model the text as UTF-8, <paramref name="InputShape"/> "text"; for a CSV model's sample sent
/// by name the JSON object as sent, <paramref name="InputShape"/> "json") and what the model
/// answered (a forecaster's values in <paramref name="Probabilities"/>, with <paramref name="Label"/> -1 and an
/// empty <paramref name="LabelName"/>). Its id is what a client sends feedback about.
/// </summary>
public sealed record PredictionRecord(
    string Id,
    string ModelName,
    int ModelVersion,
    byte[] Input,
    string InputShape,
    int Label,
    string LabelName,
    float[] Probabilities);
