using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using Anvil.Training.Training.Callbacks;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Training;

/// <summary>A checkpoint is replaced by a swap that a crash at any step cannot turn into no checkpoint.</summary>
public class CheckpointTests
{
    private static readonly Recipe Fast = new()
    {
        Model = "tiny-cnn", Epochs = 2, BatchSize = 16, Optimizer = "adam", LearningRate = 0.01, ValidationFraction = 0, Seed = 3,
    };

    private static SpecModel NewModel()
    {
        manual_seed(1);
        return ModelBuilder.Build(TinyData.SmallCnn());
    }

    [Fact]
    public void MoveThatFailedMidSwapLeavesTheCompleteCheckpointWhichResumeUsesAndTheNextSaveTidies()
    {
        using var train = TinyData.Images(32);
        using var directory = new TempDirectory();
        var checkpoint = new ModelCheckpoint(directory.Path, monitor: "loss");
        using (var model = NewModel())
            new Trainer(model, Fast, [checkpoint]).Fit(train);
        var last = checkpoint.LastDirectory.TrimEnd('/');

        // The state a crash (or a failed rename) leaves between the two renames of the swap: the
        // previous checkpoint set aside as .old, the new one still staged and unfinished.
        Directory.Move(last, last + ".old");
        var staged = Directory.CreateDirectory(last + ".new-0123456789abcdef").FullName;
        File.WriteAllText(Path.Combine(staged, "model.weights"), "half-written");

        Assert.True(Checkpoint.Exists(last));
        using var resumed = NewModel();
        var result = new Trainer(resumed, Fast with { Epochs = 3 }, [checkpoint]).Fit(train, resumeFrom: last);

        Assert.Equal(3, result.FirstEpoch); // epochs 1 and 2 came from the .old checkpoint
        Assert.True(File.Exists(Path.Combine(last, "state.json")));
        Assert.Contains("\"epoch\": 3", File.ReadAllText(Path.Combine(last, "state.json")), StringComparison.Ordinal);
        Assert.False(Directory.Exists(last + ".old"));
        Assert.False(Directory.Exists(staged));
    }

    [Fact]
    public void UnfinishedStagedFolderAloneIsNoCheckpoint()
    {
        using var directory = new TempDirectory();
        var last = Path.Combine(directory.Path, "last");
        Directory.CreateDirectory(last + ".new-0123456789abcdef");
        Assert.False(Checkpoint.Exists(last));
    }
}
