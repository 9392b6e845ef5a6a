using Anvil.Training.Training;

namespace Anvil.Training.Tuning;

/// <summary>
/// Renews a trial's lease between epochs too, at most once per <c>interval</c> of the clock, so an epoch
/// longer than the lease does not hand a healthy trial to another worker. Stops training when the
/// lease turns out to be lost.
/// </summary>
/// <example>
/// <code>new LeaseKeeper(TimeProvider.System, TimeSpan.FromMinutes(1), () => storage.Renew(number))</code>
/// </example>
public sealed class LeaseKeeper(TimeProvider time, TimeSpan interval, Func<bool> renew) : Callback
{
    private DateTimeOffset _renewed = time.GetUtcNow();

    /// <summary>True once a renewal found the lease held by another worker.</summary>
    public bool LeaseLost { get; private set; }

    /// <inheritdoc />
    public override void OnBatchEnd(TrainingContext context, int batch, double loss)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        if (now - _renewed < interval)
            return;
        _renewed = now;
        if (!renew())
        {
            LeaseLost = true;
            context.StopTraining = true;
            context.StopReason = "the trial's lease was taken over by another worker";
        }
    }
}
