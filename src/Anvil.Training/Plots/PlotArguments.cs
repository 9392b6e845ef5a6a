namespace Anvil.Training.Plots;

/// <summary>Argument checks shared by the plots that label classes.</summary>
internal static class PlotArguments
{
    public static void CheckClassNames(IReadOnlyList<string> classNames, int classCount, string source)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count != classCount)
            throw new ArgumentException(
                $"Got {classNames.Count} class names but the {source} has {classCount} classes; pass one name per class, in class-index order.",
                nameof(classNames));
    }
}
