namespace Anvil.Registry.Versions;

/// <summary>
/// One CSV feature column as training cleaned it: a missing value becomes <see cref="Fill"/> (none:
/// it must be given), then the value is clipped to [<see cref="Lower"/>, <see cref="Upper"/>] where set.
/// </summary>
public sealed record ModelColumn(string Name, double? Fill, double? Lower, double? Upper);
