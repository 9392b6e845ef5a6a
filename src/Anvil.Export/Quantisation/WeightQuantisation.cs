namespace Anvil.Export.Quantisation;

/// <summary>
/// Symmetric int8 per output channel: scale_c = max|w_c| / 127, q = round(w / scale_c) in [−127, 127]
/// (−128 left out so the range is symmetric and the zero point is 0).
/// </summary>
internal static class WeightQuantisation
{
    /// <summary>Weights laid out (C_out, ...) row-major: conv (C_out, C_in, k, k) and Gemm's transB (out, in).</summary>
    public static (sbyte[] Values, float[] Scales) PerChannel(float[] weight, int channels)
    {
        var perChannel = weight.Length / channels;
        var values = new sbyte[weight.Length];
        var scales = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var row = weight.AsSpan(c * perChannel, perChannel);
            var max = 0f;
            foreach (var w in row)
                max = Math.Max(max, Math.Abs(w));
            scales[c] = max > 0 ? max / 127f : 1f; // an all-zero channel quantises to zeros under any scale
            for (var i = 0; i < perChannel; i++)
                values[c * perChannel + i] = (sbyte)Math.Clamp(MathF.Round(row[i] / scales[c]), -127, 127);
        }
        return (values, scales);
    }
}
