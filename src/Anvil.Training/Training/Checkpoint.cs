using System.Text.Json;

namespace Anvil.Training.Training;

/// <summary>
/// Everything needed to resume a fit after a crash or Ctrl-C: weights (TorchSharp's own format,
/// which holds only tensors and cannot run code), optimizer state, EMA weights, epoch, step and
/// history. Written to a temporary folder and renamed into place, so a crash mid-write leaves the
/// previous checkpoint intact.
/// </summary>
/// <example>
/// <code>Checkpoint.Save(dir, context); var state = Checkpoint.Load(dir);</code>
/// </example>
public static class Checkpoint
{
    private const string Weights = "model.weights", Optimizer = "optimizer.state", EmaWeights = "ema.weights", State = "state.json";

    /// <summary>The resumable state of a fit, read back from disk.</summary>
    public sealed record CheckpointState(int Epoch, long GlobalStep, long EmaUpdates, IReadOnlyList<EpochMetrics> History);

    /// <summary>True when <paramref name="directory"/> holds a complete checkpoint.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, State));

    /// <summary>Saves the state at the end of the context's current epoch.</summary>
    public static void Save(string directory, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var temp = directory.TrimEnd('/') + ".tmp";
        if (Directory.Exists(temp))
            Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        context.Model.save(Path.Combine(temp, Weights));
        context.Optimizer.save_state_dict(Path.Combine(temp, Optimizer));
        context.Ema?.Model.save(Path.Combine(temp, EmaWeights));
        var state = new CheckpointState(context.Epoch, context.GlobalStep, context.Ema?.Updates ?? 0, context.History.ToArray());
        File.WriteAllText(Path.Combine(temp, State), JsonSerializer.Serialize(state, TrainingJson.Options));
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        Directory.Move(temp, directory);
    }

    /// <summary>Loads weights and optimizer state into the context's model and returns the rest.</summary>
    /// <exception cref="InvalidDataException">The checkpoint is incomplete or does not match the model.</exception>
    public static CheckpointState Restore(string directory, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Exists(directory))
            throw new InvalidDataException($"No checkpoint in '{directory}': {State} is missing. Train without --resume to start over.");
        CheckpointState state;
        try
        {
            state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(directory, State)), TrainingJson.Options)
                ?? throw new InvalidDataException($"{State} in '{directory}' is empty.");
            context.Model.load(Path.Combine(directory, Weights));
            context.Optimizer.load_state_dict(Path.Combine(directory, Optimizer));
            if (context.Ema is { } ema)
            {
                ema.Model.load(Path.Combine(directory, EmaWeights));
                ema.Updates = state.EmaUpdates;
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or IOException or InvalidOperationException)
        {
            throw new InvalidDataException($"Checkpoint in '{directory}' cannot be restored into model '{context.Model.Spec.Name}': {e.Message}", e);
        }
        return state;
    }
}
