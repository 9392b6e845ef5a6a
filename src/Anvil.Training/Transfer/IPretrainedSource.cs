namespace Anvil.Training.Transfer;

/// <summary>
/// Where a transfer run's weights come from (a recipe's <c>transfer.pretrained</c>). Anvil.Export reads them from
/// ONNX files; Training defines only this seam, so it takes no protobuf dependency.
/// </summary>
/// <example>
/// <code>PretrainedWeights weights = source.Load("imagenet-resnet18");</code>
/// </example>
public interface IPretrainedSource
{
    /// <summary>The weights named <paramref name="name"/>; a user error (one line) when they are missing, damaged or of another network.</summary>
    PretrainedWeights Load(string name);
}
