using Anvil.Training.Data;
using Anvil.Training.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Training;

/// <summary>Regression: mean squared error over every target value; the epoch figures are MAE (and RMSE on validation).</summary>
/// <example>
/// <code>var step = new RegressionStep();</code>
/// </example>
public sealed class RegressionStep : ITrainingStep
{
    private const int ValidationBatch = 1000;
    private double _absoluteErrorSum;
    private long _values;

    /// <inheritdoc />
    public Tensor Loss(Tensor inputs, Tensor outputs, Tensor targets) => functional.mse_loss(outputs, targets); // mean over B·K

    /// <inheritdoc />
    public void Update(Tensor outputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        _absoluteErrorSum += outputs.detach().sub(targets).abs().sum().to(ScalarType.Float64).item<double>();
        _values += targets.numel();
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Compute()
    {
        var mae = _absoluteErrorSum / Math.Max(1, _values);
        (_absoluteErrorSum, _values) = (0, 0);
        return new Dictionary<string, double> { ["mae"] = mae };
    }

    /// <inheritdoc />
    public (double Loss, IReadOnlyDictionary<string, double> Metrics) Validate(SpecModel model, TensorDataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var wasTraining = model.training;
        model.eval();
        double squared = 0, absolute = 0;
        using (no_grad())
        {
            for (long start = 0; start < data.Count; start += ValidationBatch)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(ValidationBatch, data.Count - start);
                var error = model.forward(data.Features.narrow(0, start, length)).sub(data.Targets.narrow(0, start, length)).to(ScalarType.Float64); // (B, K)
                squared += error.square().sum().item<double>();
                absolute += error.abs().sum().item<double>();
            }
        }
        model.train(wasTraining);
        var values = (double)Math.Max(1, data.Targets.numel());
        var mse = squared / values;
        return (mse, new Dictionary<string, double> { ["val_mae"] = absolute / values, ["val_rmse"] = Math.Sqrt(mse) });
    }
}
