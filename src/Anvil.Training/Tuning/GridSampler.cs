namespace Anvil.Training.Tuning;

/// <summary>
/// Every combination of the parameters' grid values (each choice, each int, each float step), in order:
/// trial n takes combination n, read as a number whose digits are the parameters' value indices.
/// </summary>
/// <example>
/// <code>var sampler = new GridSampler(); // 2 optimizers × 3 batch sizes: trials 0-5, then null</code>
/// </example>
public sealed class GridSampler : ISampler
{
    private const long MaxSize = 1_000_000;

    /// <summary>How many combinations the grid has; a user error when it is too large to enumerate.</summary>
    public static long Size(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        long size = 1;
        foreach (var (name, range) in space.Parameters)
        {
            size *= range.GridValues(name).Count;
            if (size > MaxSize)
                throw new InvalidDataException($"Invalid study: the grid has more than {MaxSize:N0} combinations; raise the steps, narrow the ranges or use the tpe sampler.");
        }
        return size;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double>? Sample(SearchSpace space, IReadOnlyList<TrialRecord> trials, int number)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (number >= Size(space))
            return null;
        var values = new Dictionary<string, double>();
        long rest = number;
        // The last parameter varies fastest, like nested loops in name order.
        foreach (var (name, range) in space.Parameters.Reverse())
        {
            var grid = range.GridValues(name);
            values[name] = grid[(int)(rest % grid.Count)];
            rest /= grid.Count;
        }
        return values;
    }
}
