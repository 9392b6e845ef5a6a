namespace Anvil.Registry.Versions;

/// <summary>
/// Lineage of a version derived from another version of the same model (e.g. by <c>anvil compress</c>):
/// which version, pinned by its manifest digest so a reader can check it is the one still registered,
/// how it was derived, and with how many calibration samples (0 when the method needs none).
/// </summary>
public sealed record ModelSource(int Version, string ManifestDigest, string Method, int Calibration);
