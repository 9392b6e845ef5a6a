namespace Anvil.Serving.Inputs;

/// <summary>
/// Pixels an image request may make the server decode: per image, and summed over the request's images
/// (a 2 KB PNG can claim 16.7 megapixels, so the count of files alone bounds nothing).
/// </summary>
public sealed record ImageLimits(long MaxImagePixels, long MaxRequestPixels);
