namespace Anvil.Export.Quantisation;

/// <summary>
/// Raw training inputs (what the graph's "input" takes: 0..255 pixels, raw features) for static
/// quantisation: <paramref name="Count"/> samples of <paramref name="SampleShape"/>, row-major.
/// </summary>
public sealed record CalibrationSet(float[] Inputs, long[] SampleShape, int Count)
{
    /// <summary>Values per sample.</summary>
    public long SampleSize => SampleShape.Aggregate(1L, (a, b) => a * b);
}
