namespace Anvil.Training.Metrics;

/// <summary>
/// One class's scores read from a confusion matrix. A ratio whose denominator is 0 is reported as 0,
/// as scikit-learn does with <c>zero_division=0</c> (e.g. precision of a class that was never predicted).
/// </summary>
/// <example>
/// <code>var scores = matrix.Compute().Classes[1]; // scores.Precision, scores.Recall, scores.F1, scores.Support</code>
/// </example>
/// <param name="Precision">Of the samples predicted as this class, the fraction that truly are.</param>
/// <param name="Recall">Of the samples truly in this class, the fraction predicted as it.</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="Support">Number of samples truly in this class.</param>
public sealed record ClassScores(double Precision, double Recall, double F1, long Support);
