using System.Text.Json.Serialization;

namespace Anvil.Training.Data;

/// <summary>What a data set's targets are, and so which loss and metrics train on it.</summary>
/// <example>
/// <code>if (data.Task == TaskKind.Regression) Console.WriteLine(data.Targets.shape[1]);</code>
/// </example>
[JsonConverter(typeof(JsonStringEnumConverter<TaskKind>))]
public enum TaskKind
{
    /// <summary>(N) int64 class indices; cross-entropy and accuracy.</summary>
    [JsonStringEnumMemberName("classification")] Classification,

    /// <summary>(N, K) float32 values; mean squared error, MAE and RMSE.</summary>
    [JsonStringEnumMemberName("regression")] Regression,

    /// <summary>A generator: noise in, an image out (<see cref="Models.InputKinds.Noise"/>); trained adversarially by <see cref="Training.GanStep"/>.</summary>
    [JsonStringEnumMemberName("generation")] Generation,
}
