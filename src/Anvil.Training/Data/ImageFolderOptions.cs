namespace Anvil.Training.Data;

/// <summary>
/// How <see cref="ImageFolderReader"/> decodes images. All images of a data set share one size,
/// so a batch is a slice of one (N, C, H, W) tensor.
/// </summary>
/// <example>
/// <code>var options = new ImageFolderOptions { Width = 64, Height = 64, Resize = true };</code>
/// </example>
public sealed record ImageFolderOptions
{
    /// <summary>Expected width in pixels; null takes the width of the first image.</summary>
    public int? Width { get; init; }

    /// <summary>Expected height in pixels; null takes the height of the first image.</summary>
    public int? Height { get; init; }

    /// <summary>Resize images of another size (bilinear) instead of rejecting them.</summary>
    public bool Resize { get; init; }

    /// <summary>Channels of the output tensor; null reads one channel when every image is grey (R = G = B in every pixel) and three otherwise.</summary>
    public ImageChannels? Channels { get; init; } = ImageChannels.Rgb;

    /// <summary>Called with a one-line warning for each file in a class folder that is not a PNG or JPEG image and is skipped; null makes such a file an error.</summary>
    public Action<string>? OnSkippedFile { get; init; }

    /// <summary>Largest accepted file, in bytes (default 32 MiB).</summary>
    public long MaxFileBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Largest accepted image, in pixels, checked from the header before decoding (default 40 megapixels).</summary>
    public long MaxPixels { get; init; } = 40_000_000;
}
