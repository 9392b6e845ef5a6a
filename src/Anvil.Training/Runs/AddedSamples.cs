using System.Security.Cryptography;
using Anvil.Training.Data;
using static TorchSharp.torch;

namespace Anvil.Training.Runs;

/// <summary>
/// Labelled samples a run trains on beside its data source's training split (a retrain's feedback): raw values
/// as a client sends them (0–255 pixels, unscaled features), scaled like the source and appended after
/// <c>--limit</c>, before the validation split. They are not files, so <see cref="Hash"/> is their identity.
/// </summary>
/// <example>
/// <code>var added = new AddedSamples(new TensorDataset(pixels, labels, classNames));   // pixels: (N, 1, 28, 28), 0..255</code>
/// </example>
public sealed class AddedSamples(TensorDataset data) : IDisposable
{
    /// <summary>The samples, raw.</summary>
    public TensorDataset Data { get; } = data ?? throw new ArgumentNullException(nameof(data));

    /// <summary>SHA-256 of the features' float32 bytes and the int64 labels, as 64 lowercase hex digits.</summary>
    public string Hash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Data.Features.contiguous().data<float>().ToArray().AsSpan()));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Data.Labels.contiguous().data<long>().ToArray().AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The identity of the source's files and these samples together: a new dataset version.</summary>
    public string CombinedHash(string sourceHash) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"anvil-dataset-added-v1:{sourceHash}:{Hash()}")));

    /// <summary><paramref name="train"/> with these samples appended, scaled by <paramref name="scale"/>; disposes <paramref name="train"/>.</summary>
    internal TensorDataset AppendTo(TensorDataset train, double scale)
    {
        if (train.Task != TaskKind.Classification || train.IsTokens)
            throw new ArgumentException("Samples can be added to image or feature-vector classification data only.");
        if (!train.SampleShape.SequenceEqual(Data.SampleShape))
            throw new ArgumentException($"The added samples have shape [{string.Join(", ", Data.SampleShape)}]; the training data's samples have [{string.Join(", ", train.SampleShape)}].");
        if (!train.ClassNames.SequenceEqual(Data.ClassNames))
            throw new ArgumentException($"The added samples' classes ({string.Join(", ", Data.ClassNames)}) are not the training data's ({string.Join(", ", train.ClassNames)}).");
        using var scope = NewDisposeScope();
        var features = cat([train.Features, Data.Features.mul(scale)], 0).MoveToOuterDisposeScope();
        var labels = cat([train.Labels, Data.Labels], 0).MoveToOuterDisposeScope();
        var names = train.ClassNames;
        train.Dispose();
        return new TensorDataset(features, labels, names);
    }

    public void Dispose() => Data.Dispose();
}
