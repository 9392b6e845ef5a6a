using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Anvil.Registry.Predictions;

/// <summary>
/// What a model keeps of its predictions' inputs: the share that is logged (<see cref="SampleRate"/>,
/// 0 to 1) and for how many days (<see cref="RetentionDays"/>). An unsampled prediction is billed and
/// answered as any other, and its row is kept (label, probabilities) with an empty input, so feedback on
/// it is still accepted; it only cannot become training data.
/// </summary>
public sealed record LogPolicy(double SampleRate, int RetentionDays)
{
    /// <summary>Everything logged, kept 30 days: what a model has until its operator decides otherwise.</summary>
    public static readonly LogPolicy Default = new(1.0, 30);

    /// <summary>
    /// Whether <paramref name="predictionId"/>'s input is logged: a pure function of the id, so every
    /// replica (and a retry) decides the same, and over many ids the share logged is <see cref="SampleRate"/>.
    /// </summary>
    public bool ShouldLog(string predictionId)
    {
        ArgumentNullException.ThrowIfNull(predictionId);
        if (SampleRate >= 1)
            return true;
        if (SampleRate <= 0)
            return false;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(predictionId), digest);
        var position = (BinaryPrimitives.ReadUInt64BigEndian(digest) >> 11) * (1.0 / (1UL << 53)); // uniform in [0, 1)
        return position < SampleRate;
    }

    /// <summary>Throws a <see cref="RegistryException"/> naming the bad value and the valid range.</summary>
    public void Validate()
    {
        if (double.IsNaN(SampleRate) || SampleRate is < 0 or > 1)
            throw new RegistryException($"The sample rate must be between 0 (log no inputs) and 1 (log every input); got {SampleRate}.");
        if (RetentionDays is < 1 or > 36_500)
            throw new RegistryException($"The retention must be between 1 and 36,500 days; got {RetentionDays}.");
    }
}
