namespace Anvil.Training.Metrics;

/// <summary>
/// One-vs-rest ROC curves of every class and their macro-averaged AUC.
/// </summary>
/// <example>
/// <code>
/// var roc = rocCurves.Compute();
/// Console.WriteLine($"class 0 AUC {roc.Classes[0].Auc:F3}, macro {roc.MacroAuc:F3}");
/// </code>
/// </example>
/// <param name="Classes">The curve of each class, indexed by class.</param>
public sealed record RocResult(IReadOnlyList<RocCurve> Classes)
{
    /// <summary>
    /// Unweighted mean AUC over the classes whose AUC is defined. A class with no positive or no
    /// negative sample (NaN AUC) is left out rather than making the mean NaN; NaN only when no class has an AUC.
    /// </summary>
    public double MacroAuc
    {
        get
        {
            var defined = Classes.Select(c => c.Auc).Where(auc => !double.IsNaN(auc)).ToArray();
            return defined.Length == 0 ? double.NaN : defined.Average();
        }
    }
}
