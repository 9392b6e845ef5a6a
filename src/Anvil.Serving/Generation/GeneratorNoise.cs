namespace Anvil.Serving.Generation;

/// <summary>
/// A generator's input drawn on the server from the request's seed: standard normal values by the Box–Muller
/// transform over <see cref="Random"/>(seed), whose sequence for a given seed is fixed. The same seed and count
/// give the same noise, and so the same images from the same version, on every server.
/// </summary>
/// <example>
/// <code>float[] noise = GeneratorNoise.Sample(count: 4, length: 100, seed: 7); // 400 values</code>
/// </example>
public static class GeneratorNoise
{
    /// <summary><paramref name="count"/> · <paramref name="length"/> standard normal values, sample after sample.</summary>
    public static float[] Sample(int count, int length, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        var random = new Random(seed);
        var values = new float[checked(count * length)];
        for (var i = 0; i < values.Length; i += 2)
        {
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())); // 1 − u in (0, 1]: never log(0)
            var angle = 2 * Math.PI * random.NextDouble();
            values[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < values.Length)
                values[i + 1] = (float)(radius * Math.Sin(angle));
        }
        return values;
    }
}
