using System.Globalization;
using Anvil.Training.Runs;
using Anvil.Training.Training;

namespace Anvil.Training.Audit;

/// <summary>
/// <c>anvil audit</c> as a run: the training split of a data source audited with a recipe (<see cref="DataAudit"/>),
/// recorded with the dataset hash a <c>train</c> of the same data records, its counts as metrics and the whole
/// report as the run's <c>audit.json</c>. The test split is never seen.
/// </summary>
public static class AuditRun
{
    /// <summary>The report's file in the run's folder.</summary>
    public const string ReportFile = "audit.json";

    /// <param name="callbacks">Creates the callbacks of one fold (1-based), e.g. a progress bar.</param>
    /// <exception cref="OperationCanceledException">Cancelled; the run is recorded as interrupted.</exception>
    public static (RecordedRun Run, DataAuditReport Report) Run(IRunRecorder recorder, RunRequest request, DataAuditOptions options,
        Func<int, IEnumerable<Callback>> callbacks, TextWriter progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var (source, recipe) = (request.Source, request.Recipe);
        recipe.Validate();
        CrossValidationRun.RefuseWhatFoldsCannotTrain(recipe, "The audit");
        var datasetHash = source.Hash();
        using var data = source.Load(recipe, csvPolicy: null, progress);
        if (data.Tokenizer is not null || data.Series is not null)
            throw new ArgumentException("The audit runs on images and feature vectors (a folder of images, Fashion-MNIST, a CSV); texts and series are not audited yet.");
        using var train = request.Limits.Samples is { } n ? PreparedData.Head(data.Train, n) : data.Train;
        recipe = RunPipeline.FollowData(recipe, train, request.ModelGiven, progress);
        var spec = ModelChoice.Resolve(recipe.Model, train); // a model that does not fit the data stops before a run is recorded
        var parameters = new Dictionary<string, string>(source.ToParameters())
        {
            ["model"] = recipe.Model,
            ["recipe"] = recipe.ToJson(),
            ["folds"] = options.Folds.ToString(CultureInfo.InvariantCulture),
            ["duplicate_distance"] = options.DuplicateDistance.ToString(CultureInfo.InvariantCulture),
            ["neighbours"] = options.Neighbours.ToString(CultureInfo.InvariantCulture),
            ["outlier_z"] = options.OutlierZ.ToString(CultureInfo.InvariantCulture),
        };
        request.Limits.AddTo(parameters);
        var run = recorder.CreateRun(request.Name ?? RunNames.Default(recipe.Model, source.Data, prefix: "audit"), parameters, datasetHash);
        return recorder.Finishing(run.Id, () =>
        {
            var report = DataAudit.Run(train, spec, recipe, options, data.Scale, callbacks, cancellationToken);
            recorder.LogMetrics(run.Id, Metrics(report));
            Directory.CreateDirectory(run.ArtifactsDirectory);
            File.WriteAllText(Path.Combine(run.ArtifactsDirectory, ReportFile), AuditDocument.ToJson(report));
            return (run, report);
        });
    }

    /// <summary>The counts recorded on the run (and shown by <c>runs show</c>).</summary>
    public static IReadOnlyDictionary<string, double> Metrics(DataAuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new Dictionary<string, double>
        {
            ["audit_label_issues"] = report.Labels.Issues.Count,
            ["audit_estimated_noise_rate"] = report.Labels.EstimatedNoiseRate,
            ["audit_near_duplicates"] = report.NearDuplicates.Count,
            ["audit_conflicting_duplicates"] = report.NearDuplicates.Count(d => d.LabelsDiffer),
            ["audit_outliers"] = report.Outliers.Count,
            ["audit_out_of_fold_accuracy"] = report.OutOfFoldAccuracy,
        };
    }
}
