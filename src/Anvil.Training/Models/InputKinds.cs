namespace Anvil.Training.Models;

/// <summary>
/// What a model's input holds, which fixes its rank and element type:
/// <list type="bullet">
/// <item><c>image</c>: float32 [C, H, W] pixel values.</item>
/// <item><c>features</c>: float32 [F], one vector per sample.</item>
/// <item><c>series</c>: float32 [T, F], T steps of F values, every sequence full length.</item>
/// <item><c>tokens</c>: int64 [T] token ids, right-padded with <see cref="PadId"/>; the first layer must be an embedding.</item>
/// </list>
/// A spec names the kind in <see cref="ModelSpec.InputKind"/> or leaves it to the rank of its
/// input shape (3 image, 2 series, 1 features); token ids must be named, since [T] looks like [F].
/// </summary>
/// <example>
/// <code>var kind = InputKinds.Of(spec); // "tokens" for a text classifier</code>
/// </example>
public static class InputKinds
{
    public const string Image = "image";
    public const string Features = "features";
    public const string Series = "series";
    public const string Tokens = "tokens";
    /// <summary>A generator's latent vector [Z, 1, 1], drawn from a standard normal by the caller.</summary>
    public const string Noise = "noise";

    /// <summary>The token id that means "no token": padding after the end of a sequence.</summary>
    public const long PadId = 0;

    /// <summary>Every input kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Image, Features, Series, Tokens, Noise];

    /// <summary>The spec's input kind, stated or inferred from the rank of its input shape.</summary>
    public static string Of(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.InputKind ?? (spec.InputShape?.Length switch
        {
            3 => Image,
            2 => Series,
            _ => Features,
        });
    }

    /// <summary>The rank of one sample of this kind (without the batch dimension).</summary>
    public static int Rank(string kind) => kind switch
    {
        Image or Noise => 3,
        Series => 2,
        _ => 1,
    };
}
