namespace Anvil.Export.Onnx;

/// <summary>A node attribute: an int, a list of ints, a float or a string (all this exporter needs).</summary>
internal sealed record OnnxAttribute(string Name, long? Int = null, long[]? Ints = null, float? Float = null, string? String = null)
{
    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);
    public static OnnxAttribute Of(string name, params long[] values) => new(name, Ints: values);
    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);
    public static OnnxAttribute Of(string name, string value) => new(name, String: value);
}
