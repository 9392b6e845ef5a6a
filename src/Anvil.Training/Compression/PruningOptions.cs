namespace Anvil.Training.Compression;

/// <summary>
/// How <c>RunPipeline.Prune</c> prunes a finished run and fine-tunes the result: the method, the share pruned, the
/// fine-tuning epochs, and how much of the fine-tuning loss comes from the unpruned source model's soft targets
/// (distillation from the source, as a teacher; 0 fine-tunes on the labels alone).
/// </summary>
public sealed record PruningOptions(PruningMethod Method, double Fraction, int FineTuneEpochs, double DistillWeight)
{
    /// <summary>The distillation temperature of the fine-tuning, the recipe's default.</summary>
    public const double Temperature = 4;

    /// <summary>Throws one error naming the option and its valid range.</summary>
    public void Validate()
    {
        if (FineTuneEpochs < 1)
            throw new ArgumentException($"--fine-tune-epochs must be 1 or more (got {FineTuneEpochs}): a pruned model has lost what the removed weights computed and must learn again, batch norm's statistics included.");
        if (DistillWeight is not (>= 0 and <= 1))
            throw new ArgumentException($"--distill-weight must be in [0, 1] (got {DistillWeight}): the share of the fine-tuning loss taken from the source model's soft targets, 0 for the labels alone.");
    }
}
