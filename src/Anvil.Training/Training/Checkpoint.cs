using System.Text.Json;

namespace Anvil.Training.Training;

/// <summary>
/// Everything needed to resume a fit after a crash or Ctrl-C: weights (TorchSharp's own format,
/// which holds only tensors and cannot run code), optimizer state, EMA weights, epoch, step and
/// history. Written to a new folder, flushed to disk, then swapped in by two renames (the previous
/// checkpoint aside to <c>.old</c>, the new one into place): a crash at any point leaves a complete
/// checkpoint in the folder or in <c>.old</c>, and <see cref="Restore"/> takes whichever is complete.
/// </summary>
/// <example>
/// <code>Checkpoint.Save(dir, context); var state = Checkpoint.Load(dir);</code>
/// </example>
public static class Checkpoint
{
    private const string Weights = "model.weights", Optimizer = "optimizer.state", EmaWeights = "ema.weights", State = "state.json";

    /// <summary>The resumable state of a fit, read back from disk.</summary>
    public sealed record CheckpointState(int Epoch, long GlobalStep, long EmaUpdates, IReadOnlyList<EpochMetrics> History);

    /// <summary>True when <paramref name="directory"/> (or, after a crash mid-swap, its <c>.old</c>) holds a complete checkpoint.</summary>
    public static bool Exists(string directory) => Complete(directory) is not null;

    /// <summary>Saves the state at the end of the context's current epoch.</summary>
    public static void Save(string directory, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var parent = Path.GetDirectoryName(directory)!;
        Directory.CreateDirectory(parent);
        var staging = $"{directory}.new-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        context.Model.save(Path.Combine(staging, Weights));
        context.Optimizer.save_state_dict(Path.Combine(staging, Optimizer));
        context.Ema?.Model.save(Path.Combine(staging, EmaWeights));
        context.Step.SaveState(staging);
        var state = new CheckpointState(context.Epoch, context.GlobalStep, context.Ema?.Updates ?? 0, context.History.ToArray());
        File.WriteAllText(Path.Combine(staging, State), JsonSerializer.Serialize(state, TrainingJson.Options)); // last: its presence marks a complete checkpoint
        foreach (var file in Directory.EnumerateFiles(staging))
            DiskSync.Sync(file);
        DiskSync.Sync(staging);

        var old = directory + ".old";
        if (File.Exists(Path.Combine(directory, State)))
        {
            if (Directory.Exists(old))
                Directory.Delete(old, recursive: true);
            Directory.Move(directory, old); // from here until the next move, .old is the complete one
        }
        else if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true); // incomplete: nothing to keep
        }

        Directory.Move(staging, directory);
        DiskSync.Sync(parent);
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
        foreach (var stale in Directory.EnumerateDirectories(parent, Path.GetFileName(directory) + ".new-*"))
            Directory.Delete(stale, recursive: true); // left by a save that crashed before its swap
    }

    /// <summary>The complete checkpoint of <paramref name="directory"/>: itself, else the <c>.old</c> a crashed swap left.</summary>
    private static string? Complete(string directory)
    {
        directory = Path.TrimEndingDirectorySeparator(directory);
        if (File.Exists(Path.Combine(directory, State)))
            return directory;
        var old = directory + ".old";
        return File.Exists(Path.Combine(old, State)) ? old : null;
    }

    /// <summary>Loads weights and optimizer state into the context's model and returns the rest.</summary>
    /// <exception cref="InvalidDataException">The checkpoint is incomplete or does not match the model.</exception>
    public static CheckpointState Restore(string directory, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        directory = Complete(directory)
            ?? throw new InvalidDataException($"No checkpoint in '{directory}': {State} is missing. Train without --resume to start over.");
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
            context.Step.RestoreState(directory);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or IOException or InvalidOperationException)
        {
            throw new InvalidDataException($"Checkpoint in '{directory}' cannot be restored into model '{context.Model.Spec.Name}': {e.Message}", e);
        }
        return state;
    }
}
