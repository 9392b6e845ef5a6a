namespace Anvil.Training.Compression;

/// <summary>How <c>RunPipeline.Prune</c> prunes a model before fine-tuning it.</summary>
public enum PruningMethod
{
    /// <summary>Whole channels removed, layers narrowed (<see cref="ChannelPruning"/>): fewer operations, a smaller graph.</summary>
    Channels,

    /// <summary>The smallest weights set to zero across layers (<see cref="MagnitudePruning"/>): sparsity, the same graph shape.</summary>
    Magnitude,
}
