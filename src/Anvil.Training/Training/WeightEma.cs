using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>
/// An exponential moving average of a model's weights and batch-norm statistics, kept in a
/// second copy of the model. Averaged weights generalise better than the last step's, at no
/// training cost.
/// </summary>
/// <example>
/// <code>using var ema = new WeightEma(model, decay: 0.99); ema.Update(); ema.Model.forward(x);</code>
/// </example>
public sealed class WeightEma : IDisposable
{
    private readonly (Tensor Average, Tensor Live)[] _pairs;
    private readonly double _decay;
    private long _updates;

    public WeightEma(SpecModel model, double decay)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (decay is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "EMA decay must be in (0, 1), e.g. 0.99.");
        _decay = decay;
        Model = ModelBuilder.Build(model.Spec);
        var live = model.state_dict();
        var average = Model.state_dict();
        _pairs = live.Keys.Select(key => (average[key], live[key])).ToArray();
        CopyFromLive();
    }

    /// <summary>The model holding the averaged weights.</summary>
    public SpecModel Model { get; }

    /// <summary>Moves the average towards the live weights. The decay ramps up as (1+n)/(10+n) so early, random weights fade fast.</summary>
    public void Update()
    {
        var decay = Math.Min(_decay, (1.0 + _updates) / (10.0 + _updates));
        _updates++;
        using var noGrad = no_grad();
        foreach (var (average, live) in _pairs)
        {
            if (average.is_floating_point())
                average.mul_(decay).add_(live, alpha: 1 - decay);
            else
                average.copy_(live); // e.g. batch norm's num_batches_tracked
        }
    }

    /// <summary>Number of updates so far (saved in checkpoints so a resume continues the ramp).</summary>
    public long Updates { get => _updates; internal set => _updates = value; }

    private void CopyFromLive()
    {
        using var noGrad = no_grad();
        foreach (var (average, live) in _pairs)
            average.copy_(live);
    }

    public void Dispose() => Model.Dispose();
}
