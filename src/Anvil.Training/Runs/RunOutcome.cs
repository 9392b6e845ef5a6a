using System.Text.Json.Serialization;

namespace Anvil.Training.Runs;

/// <summary>How a run ended. Serialised in lower case (<c>finished</c>, <c>interrupted</c>, ...).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunOutcome>))]
public enum RunOutcome
{
    /// <summary>Trained, evaluated and recorded.</summary>
    [JsonStringEnumMemberName("finished")] Finished,

    /// <summary>Stopped by Ctrl-C or SIGTERM after a batch; resumable from its last checkpoint.</summary>
    [JsonStringEnumMemberName("interrupted")] Interrupted,

    /// <summary>The loss became NaN or infinite; recorded as failed.</summary>
    [JsonStringEnumMemberName("diverged")] Diverged,

    /// <summary>An error ended the run.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}
