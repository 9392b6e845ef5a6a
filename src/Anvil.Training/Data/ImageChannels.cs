namespace Anvil.Training.Data;

/// <summary>The channels <see cref="ImageFolderReader"/> produces; the value is the channel count C.</summary>
/// <example>
/// <code>var options = new ImageFolderOptions { Width = 28, Height = 28, Channels = ImageChannels.Grayscale };</code>
/// </example>
public enum ImageChannels
{
    /// <summary>One channel of luma, 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as PIL's "L" mode).</summary>
    Grayscale = 1,

    /// <summary>Three channels in R, G, B order.</summary>
    Rgb = 3,
}
