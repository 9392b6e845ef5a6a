using System.Runtime.InteropServices;
using System.Text;

namespace Anvil.Serving.Inputs;

/// <summary>
/// Inputs of one request, validated against the signature: <see cref="Count"/> samples back to back in
/// <see cref="Samples"/> — a float[] for images, feature vectors and series, a long[] of token ids for texts.
/// </summary>
public sealed record ModelInput(Array Samples, int Count, int SampleSize)
{
    /// <summary>The texts as the client sent them (text models only); the prediction log keeps these, not the ids.</summary>
    public IReadOnlyList<string>? Texts { get; init; }

    /// <summary>Per text: it had more tokens than max_length, and only the first max_length were used.</summary>
    public IReadOnlyList<bool>? Truncated { get; init; }

    /// <summary>
    /// Per sample of a CSV model's request: the object of named features as the client sent it (compact UTF-8 JSON),
    /// or null for a sample sent as an array; null when no sample was an object. The prediction log keeps these, not the
    /// filled and clipped values the model saw.
    /// </summary>
    public IReadOnlyList<byte[]?>? SentObjects { get; init; }

    /// <summary>Sample <paramref name="index"/> as the prediction log stores it: a text as UTF-8, named features as the JSON object sent, values as little-endian bytes.</summary>
    public byte[] LoggedBytes(int index) =>
        Texts is { } texts ? Encoding.UTF8.GetBytes(texts[index])
        : SentObjects?[index] is { } sent ? sent
        : Bytes(index * SampleSize, SampleSize).ToArray();

    /// <summary>The little-endian bytes of <paramref name="length"/> values from <paramref name="start"/>.</summary>
    public ReadOnlySpan<byte> Bytes(int start, int length) => Samples switch
    {
        float[] values => MemoryMarshal.AsBytes(values.AsSpan(start, length)),
        long[] ids => MemoryMarshal.AsBytes(ids.AsSpan(start, length)),
        _ => throw new InvalidOperationException($"Samples are float[] or long[], not {Samples.GetType().Name}."),
    };
}
