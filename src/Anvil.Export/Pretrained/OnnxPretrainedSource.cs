using Anvil.Training.Models;
using Anvil.Training.Transfer;

namespace Anvil.Export.Pretrained;

/// <summary>
/// Pretrained weights read from ONNX files: <c>imagenet-resnet18</c> is the ImageNet ResNet-18 of NuGet
/// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1, copied beside the program at build time
/// (<c>pretrained/</c>); any other name is the path of a ResNet-18 ONNX file laid out as that one (B, G, R input,
/// 0..255 minus the package's channel means).
/// </summary>
/// <example>
/// <code>PretrainedWeights weights = new OnnxPretrainedSource().Load("imagenet-resnet18");</code>
/// </example>
public sealed class OnnxPretrainedSource(string? directory = null) : IPretrainedSource
{
    /// <summary>The name of the packaged ImageNet ResNet-18.</summary>
    public const string ImageNetResNet18 = "imagenet-resnet18";

    private readonly string _directory = directory ?? Path.Combine(AppContext.BaseDirectory, "pretrained");

    /// <summary>The packaged ResNet-18 graph.</summary>
    public string ResNet18Path => Path.Combine(_directory, "ResNet18.onnx");

    /// <summary>The packaged graph of the input preprocessing ResNet-18 was trained with.</summary>
    public string PreprocessPath => Path.Combine(_directory, "ResNetPreprocess.onnx");

    /// <inheritdoc />
    public PretrainedWeights Load(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var path = name == ImageNetResNet18 ? ResNet18Path : name;
        var weights = ResNet18Onnx.Read(OnnxGraphWalk.Parse(ReadFile(path, name), path));
        var preprocessing = ImageNetPreprocess.Read(OnnxGraphWalk.Parse(ReadFile(PreprocessPath, ImageNetResNet18), PreprocessPath));
        return new PretrainedWeights(name, BuiltInModels.ResNet18Name, ResNet18Onnx.BackboneLayers, weights, preprocessing);
    }

    private static byte[] ReadFile(string path, string name)
    {
        if (File.Exists(path))
            return File.ReadAllBytes(path);
        throw new FileNotFoundException($"Pretrained weights '{name}' not found at '{path}'; use \"{ImageNetResNet18}\" (copied beside the program from NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 when it is built) or the path of a ResNet-18 .onnx file.", path);
    }
}
