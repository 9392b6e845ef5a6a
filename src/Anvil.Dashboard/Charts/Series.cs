namespace Anvil.Dashboard.Charts;

/// <summary>One line of a <see cref="LineChart"/>: (x, y) points in x order; NaN values are left out.</summary>
public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);
