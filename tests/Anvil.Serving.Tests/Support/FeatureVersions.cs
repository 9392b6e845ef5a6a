using Anvil.Training.Data;
using Anvil.Training.Models;

namespace Anvil.Serving.Tests.Support;

/// <summary>
/// acme's "buyers": a model as if trained on a CSV file with named features. age is mean-filled at 38.5; income has
/// no fill (trained with --missing-values fail) and is clipped to [0, 250,000]. Random weights: nothing is trained.
/// </summary>
public static class FeatureVersions
{
    public static ModelVersion AddBuyers(ServingHost host)
    {
        var policy = new CsvPolicy
        {
            LabelColumn = "bought",
            FeatureColumns = ["age", "income"],
            ClassNames = ["no", "yes"],
            Fitted = [new CsvFittedColumn("age", Fill: 38.5, Lower: null, Upper: null), new CsvFittedColumn("income", Fill: null, Lower: 0, Upper: 250_000)],
        };
        var spec = new ModelSpec
        {
            Name = "tiny-mlp",
            InputShape = [2],
            ClassNames = ["no", "yes"],
            Preprocessing = new PreprocessingSpec { Mean = [40f, 60_000f], Std = [12f, 30_000f] },
            Layers = [new() { Type = LayerTypes.Dense, Units = 4, Activation = "relu" }, new() { Type = LayerTypes.Dense }],
        };
        return host.AddVersion(host.Acme, "buyers", seed: 3, spec, csvPolicy: policy);
    }
}
