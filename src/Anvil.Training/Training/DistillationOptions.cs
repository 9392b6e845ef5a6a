namespace Anvil.Training.Training;

/// <summary>
/// The recipe's <c>"distill"</c> field: train the model as a student of a finished classifier run (the teacher),
/// from the teacher's softened outputs as well as the labels (Hinton, Vinyals and Dean 2015, "Distilling the
/// Knowledge in a Neural Network"). See <see cref="DistillationStep"/> for the loss.
/// </summary>
/// <example>
/// <code>"distill": {"teacher": "01a2b3c4d5", "temperature": 4, "weight": 0.7}</code>
/// </example>
public sealed record DistillationOptions
{
    /// <summary>The teacher's run id or a unique prefix of it; the run pipeline records the full id.</summary>
    public required string Teacher { get; init; }

    /// <summary>T &gt; 0: both models' logits are divided by it before the softmax; higher shows more of the teacher's ranking of wrong classes.</summary>
    public double Temperature { get; init; } = 4;

    /// <summary>Share of the loss taken from the teacher's soft targets, in [0, 1]; the rest is cross-entropy with the labels.</summary>
    public double Weight { get; init; } = 0.7;

    /// <summary>Throws one error naming the field, its value and the valid range.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Teacher), "distill.teacher must name the teacher's run (an id or a unique prefix, see ./anvil runs list).");
        Require(Temperature > 0 && double.IsFinite(Temperature), $"distill.temperature must be positive, e.g. 4, got {Temperature}.");
        Require(Weight is >= 0 and <= 1, $"distill.weight must be in [0, 1], e.g. 0.7, got {Weight}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException($"Invalid recipe: {message}");
    }
}
