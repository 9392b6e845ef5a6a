namespace Anvil.Training.Runs;

/// <summary>What the pipeline needs to know of a recorded run.</summary>
/// <param name="Id">The run id.</param>
/// <param name="ArtifactsDirectory">Where the run's files live (see <see cref="RunArtifacts"/>).</param>
/// <param name="Parameters">What the run was started with: data source, limits, model, recipe.</param>
/// <param name="Finished">True once the run finished; it can then be evaluated but not resumed.</param>
/// <example>
/// <code>var run = new RecordedRun("01a2…", "/home/me/.anvil/runs/01a2…/artifacts", parameters, Finished: false);</code>
/// </example>
public sealed record RecordedRun(string Id, string ArtifactsDirectory, IReadOnlyDictionary<string, string> Parameters, bool Finished);
