using System.ComponentModel;

namespace Anvil.Serving.Generation;

/// <summary>Body of POST /v1/models/{name}/generate.</summary>
public sealed record GenerateRequest(
    [property: Description("How many images to generate, 1 to the plan's inputs per request; each is one billed prediction.")] int Count,
    [property: Description("0 to 2147483647. The same seed and count give the same images from the same version; left out, the server picks one and returns it.")] long? Seed);

/// <summary>What a generate call returns; <see cref="Seed"/> reproduces the images.</summary>
public sealed record GenerateResponse(string RequestId, string Model, int Version, int Seed, string MediaType, IReadOnlyList<GeneratedImage> Images);

/// <summary>One generated image: its prediction id and the PNG, base64-encoded.</summary>
public sealed record GeneratedImage(string Id, int Width, int Height, string PngBase64);
