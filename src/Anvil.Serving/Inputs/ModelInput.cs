namespace Anvil.Serving.Inputs;

/// <summary>Inputs of one request, validated against the signature: <see cref="Count"/> samples back to back.</summary>
public sealed record ModelInput(float[] Samples, int Count, int SampleSize)
{
    /// <summary>Sample <paramref name="index"/> as little-endian float32 bytes, as the prediction log stores it.</summary>
    public byte[] SampleBytes(int index) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(Samples.AsSpan(index * SampleSize, SampleSize)).ToArray();
}
