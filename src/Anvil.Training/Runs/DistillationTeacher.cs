using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Training;

namespace Anvil.Training.Runs;

/// <summary>
/// The finished classifier run a student is distilled from (the recipe's <c>distill.teacher</c>). The student
/// replays the teacher's data preparation (CSV cleaning, vocabulary, normalisation), so both models see the
/// same tensors; the teacher's spec and weights come from its run's artifacts.
/// </summary>
/// <example>
/// <code>
/// var teacher = DistillationTeacher.Find(recorder, recipe.Distill.Teacher);
/// using var data = teacher.Prepare(source, recipe, limits, Console.Error);
/// using var model = teacher.Load(data.Train);
/// </code>
/// </example>
public sealed class DistillationTeacher
{
    private readonly RunArtifacts _artifacts;

    private DistillationTeacher(string runId, RunArtifacts artifacts, ModelSpec spec) => (RunId, _artifacts, Spec) = (runId, artifacts, spec);

    /// <summary>The teacher's full run id, the student's lineage.</summary>
    public string RunId { get; }

    /// <summary>The teacher's model spec with its fitted preprocessing.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The teacher run by id or unique prefix; a user error when it is missing, unfinished or a regressor.</summary>
    public static DistillationTeacher Find(IRunRecorder recorder, string runIdOrPrefix)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var run = recorder.GetRun(runIdOrPrefix);
        var artifacts = new RunArtifacts(run.ArtifactsDirectory);
        if (!run.Finished || !File.Exists(artifacts.MetricsPath))
            throw new ArgumentException($"Teacher run {run.Id} did not finish training; distill from a finished run (see ./anvil runs list) or resume it with --resume.");
        var spec = artifacts.LoadSpec();
        if (spec.Head != TaskKind.Classification)
            throw new ArgumentException($"Teacher run {run.Id} is a regressor; distillation needs a classifier teacher whose classes match the data.");
        return new DistillationTeacher(run.Id, artifacts, spec);
    }

    /// <summary>The student's data, cleaned, tokenized and normalised as the teacher's were.</summary>
    public PreparedData Prepare(DataSource source, Recipe recipe, TrainingLimits limits, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(recipe);
        var raw = RunPipeline.LoadAsFitted(source, _artifacts, recipe, Spec, warnings);
        try
        {
            CheckMatches(raw.Train); // before the teacher's normalisation meets data it was not fitted for
        }
        catch
        {
            raw.Dispose();
            throw;
        }
        return PreparedData.Load(raw, recipe, limits, Spec.Preprocessing);
    }

    /// <summary>The teacher's trained model; a user error when its inputs or classes differ from the student's data.</summary>
    public SpecModel Load(TensorDataset train)
    {
        CheckMatches(train);
        return _artifacts.LoadModel(Spec);
    }

    private void CheckMatches(TensorDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!train.SampleShape.SequenceEqual(Spec.InputShape.Select(d => (long)d)))
            throw new ArgumentException($"Teacher run {RunId} takes inputs of shape [{string.Join(", ", Spec.InputShape)}] but the data's samples are [{string.Join(", ", train.SampleShape)}]; distill from a teacher trained on the same data.");
        if (train.Task != TaskKind.Classification || !train.ClassNames.SequenceEqual(Spec.ClassNames))
            throw new ArgumentException($"Teacher run {RunId} predicts the classes [{string.Join(", ", Spec.ClassNames)}] but the data's are [{string.Join(", ", train.TargetNames)}]; distill from a teacher trained on the same classes.");
    }
}
