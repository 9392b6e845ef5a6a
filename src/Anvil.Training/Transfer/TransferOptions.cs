namespace Anvil.Training.Transfer;

/// <summary>
/// The recipe's <c>"transfer"</c> section: fine-tune a pretrained backbone (<see cref="Pretrained"/>) with a new head
/// for the data's classes. Images are made RGB at <see cref="ImageSize"/> and normalised as the weights expect (not
/// fitted on the data); the preprocessing is stored with the model, so serving applies it. Layer groups freeze and
/// unfreeze on a schedule and learn at their own rates; layers in no group (the head) train from the first epoch at
/// the recipe's rate. With <see cref="Scratch"/>, the same network is also trained from random initialisation in the
/// same run, with the same epochs and schedule, and scored on the same test set.
/// </summary>
/// <example>
/// <code>
/// "transfer": {"pretrained": "imagenet-resnet18", "image_size": 64, "train_images": 1000, "scratch": true,
///              "groups": [{"name": "early", "layers": [0, 5], "learning_rate_factor": 0.1, "unfreeze_epoch": 2}]}
/// </code>
/// </example>
public sealed record TransferOptions
{
    /// <summary>The weights: "imagenet-resnet18" (packaged) or the path of a ResNet-18 ONNX file.</summary>
    public string Pretrained { get; init; } = "imagenet-resnet18";
    /// <summary>Side of the square RGB images the network sees; images of another size are resized, grey ones repeated into R, G, B.</summary>
    public int ImageSize { get; init; } = 64;
    /// <summary>Trains on the first N training images (a small labelled set); null takes all of them. The test set is never cut.</summary>
    public int? TrainImages { get; init; }
    /// <summary>The freeze/unfreeze schedule and learning-rate factors of pretrained layers; empty trains every layer from epoch 1 at the recipe's rate.</summary>
    public IReadOnlyList<LayerGroup> Groups { get; init; } = [];
    /// <summary>Also train the same network from random initialisation and report <c>scratch_test_accuracy</c>.</summary>
    public bool Scratch { get; init; }

    /// <summary>Throws one error naming the field, its value and the valid range.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Pretrained), "transfer.pretrained is empty; use \"imagenet-resnet18\" or the path of a ResNet-18 .onnx file.");
        Require(ImageSize is >= 32 and <= 512, $"transfer.image_size must be in [32, 512] (ResNet-18 halves it five times), got {ImageSize}.");
        Require(TrainImages is null or >= 2, $"transfer.train_images must be 2 or more, or left out to take all, got {TrainImages}.");
        var previousLast = -1;
        foreach (var group in Groups.OrderBy(g => g.Layers.FirstOrDefault()))
        {
            var name = $"transfer.groups '{group.Name}'";
            Require(group.Layers is [>= 0, var last] && last >= group.Layers[0], $"{name}: layers must be [first, last] layer indices with 0 ≤ first ≤ last, got [{string.Join(", ", group.Layers)}].");
            Require(group.First > previousLast, $"{name}: layers [{group.First}, {group.Last}] overlap another group's; each layer belongs to one group at most.");
            Require(group.LearningRateFactor > 0 && double.IsFinite(group.LearningRateFactor), $"{name}: learning_rate_factor must be positive, got {group.LearningRateFactor}.");
            Require(group.UnfreezeEpoch >= 1, $"{name}: unfreeze_epoch must be 1 or more (1 trains it from the start), got {group.UnfreezeEpoch}.");
            previousLast = group.Last;
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException($"Invalid recipe: {message}");
    }
}
