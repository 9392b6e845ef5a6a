using Anvil.Registry.Runs;
using Anvil.Registry.Tests.Conformance;
using Anvil.Registry.Tuning;

namespace Anvil.Registry.Tests.Runs;

/// <summary>Tags, lookup by name, the crashed status and deletion, on SQLite and PostgreSQL.</summary>
public abstract class RunTagAndDeleteTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private static readonly Dictionary<string, string> NoParameters = [];

    private RunStore NewStore(TempDirectory home) => new(Db, new AnvilHome(home.Path), Clock);

    [Fact]
    public void TagsGivenAtCreationCanBeChangedRemovedAndFilteredOn()
    {
        using var home = new TempDirectory();
        var store = NewStore(home);
        var tagged = store.CreateRun("a", NoParameters, "sha256:d", new Dictionary<string, string> { ["team"] = "vision", ["draft"] = "yes" });
        Clock.Advance(TimeSpan.FromSeconds(1));
        var other = store.CreateRun("b", NoParameters, "sha256:d", new Dictionary<string, string> { ["team"] = "text" });

        Assert.Equal(tagged.Id, Assert.Single(store.ListRuns(10, new("team", "vision"))).Id);
        var changed = store.SetTags(tagged.Id, new Dictionary<string, string> { ["team"] = "text", ["owner"] = "ann" }, ["draft"]);

        Assert.Equal(new Dictionary<string, string> { ["team"] = "text", ["owner"] = "ann" }, changed.Tags);
        Assert.Empty(store.ListRuns(10, new("team", "vision")));
        Assert.Equal([other.Id, tagged.Id], store.ListRuns(10, new("team", "text")).Select(r => r.Id)); // newest first
        Assert.Equal(changed.Tags, store.GetRun(tagged.Id).Tags);
    }

    [Fact]
    public void ListsFilterByStatusDatasetAndNameTextTakenLiterally()
    {
        using var home = new TempDirectory();
        var store = NewStore(home);
        var acme = Organizations.Create("acme").Id;
        var wide = store.CreateRun("wide_cnn", NoParameters, "sha256:d", organizationId: acme);
        store.LogEpoch(wide.Id, 1, new Dictionary<string, double> { ["val_loss"] = 0.5 });
        store.Finish(wide.Id, RunStatus.Finished);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var widest = store.CreateRun("widexcnn 100%", NoParameters, "sha256:d", organizationId: acme);

        Assert.Equal([widest.Id, wide.Id], store.ListRunSummaries(new RunFilter(acme, NameContains: "cnn"), 10).Select(r => r.Id));
        Assert.Equal([wide.Id], store.ListRunSummaries(new RunFilter(acme, NameContains: "e_c"), 10).Select(r => r.Id)); // '_' is no wildcard
        Assert.Equal([widest.Id], store.ListRunSummaries(new RunFilter(acme, NameContains: "0%"), 10).Select(r => r.Id)); // nor is '%'
        Assert.Equal([widest.Id], store.ListRunSummaries(new RunFilter(acme, Status: RunStatus.Running), 10).Select(r => r.Id));
        Assert.Empty(store.ListRunSummaries(new RunFilter(acme, Status: RunStatus.Failed), 10));
        var otherData = store.CreateRun("other data", NoParameters, "sha256:e", organizationId: acme);
        Assert.Equal([otherData.Id], store.ListRunSummaries(new RunFilter(acme, DatasetHash: "sha256:e"), 10).Select(r => r.Id));
        Assert.Equal([wide.Id], store.ListRunSummaries(new RunFilter(acme, Status: RunStatus.Finished, DatasetHash: "sha256:d"), 10).Select(r => r.Id));
        Assert.Empty(store.ListRunSummaries(new RunFilter(acme), 10)[2].Epochs); // a summary leaves the curves out
        Assert.Single(store.FindRuns([wide.Id], acme)[0].Epochs);
    }

    [Fact]
    public void AnEvaluationDocumentIsKeptReplacedAndDeletedWithItsRun()
    {
        using var home = new TempDirectory();
        var store = NewStore(home);
        var run = store.CreateRun("a", NoParameters, "sha256:d");
        Assert.Null(store.FindEvaluation(run.Id));

        store.LogEvaluation(run.Id, "{\"format\": \"first\"}");
        store.LogEvaluation(run.Id, "{\"format\": \"second\"}");
        Assert.Equal("{\"format\": \"second\"}", store.FindEvaluation(run.Id));
        Assert.Contains("no run has that id", Assert.Throws<RegistryException>(() => store.LogEvaluation("0123456789abcdef0123456789abcdef", "{}")).Message, StringComparison.Ordinal);

        store.Finish(run.Id, RunStatus.Finished);
        store.DeleteRun(run.Id);
        Assert.Null(store.FindEvaluation(run.Id));
    }

    [Fact]
    public void FindRunsReturnsOnlyTheOrganizationsRuns()
    {
        using var home = new TempDirectory();
        var store = NewStore(home);
        var acme = Organizations.Create("acme").Id;
        var mine = store.CreateRun("a", NoParameters, "sha256:d", organizationId: acme);
        var theirs = store.CreateRun("b", NoParameters, "sha256:d", organizationId: Organizations.Create("rival").Id);

        Assert.Equal([mine.Id], store.FindRuns([mine.Id, theirs.Id, "0123456789abcdef0123456789abcdef"], acme).Select(r => r.Id));
        Assert.Empty(store.FindRuns([theirs.Id], acme));
        Assert.Empty(store.FindRuns([], acme));
    }

    [Fact]
    public void ARunBelongsToItsOrganizationAndListsFilterByIt()
    {
        using var home = new TempDirectory();
        var store = NewStore(home);
        var acme = Organizations.Create("acme");
        var rival = Organizations.Create("rival");
        var mine = store.CreateRun("a", NoParameters, "sha256:d", organizationId: acme.Id);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var theirs = store.CreateRun("b", NoParameters, "sha256:d", organizationId: rival.Id);
        var older = store.CreateRun("c", NoParameters, "sha256:d"); // recorded before runs had organizations

        Assert.Equal(acme.Id, store.GetRun(mine.Id).OrganizationId);
        Assert.Null(store.GetRun(older.Id).OrganizationId);
        Assert.Equal([mine.Id], store.ListRuns(10, organizationId: acme.Id).Select(r => r.Id));
        Assert.Equal([theirs.Id], store.ListRuns(10, organizationId: rival.Id).Select(r => r.Id));
        Assert.Equal(3, store.ListRuns(10).Count);
    }

    [Fact]
    public void ATagNameThatIsNotAShortNameIsRefusedAndNothingIsRecorded()
    {
        using var home = new TempDirectory();
        var store = NewStore(home);
        var error = Assert.Throws<ArgumentException>(() => store.CreateRun("a", NoParameters, "sha256:d", new Dictionary<string, string> { ["two words"] = "x" }));

        Assert.Contains("Tag name 'two words' is not valid", error.Message);
        Assert.Empty(store.ListRuns(10));
    }

    [Fact]
    public void ARunIsFoundByItsNameWhenTheNameIsUniqueAndAnAmbiguousNameListsTheIds()
    {
        using var home = new TempDirectory();
        var store = NewStore(home);
        var single = store.CreateRun("mlp-iris", NoParameters, "sha256:d");
        store.CreateRun("vgg-small-fashion-mnist", NoParameters, "sha256:d");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var twin = store.CreateRun("vgg-small-fashion-mnist", NoParameters, "sha256:d");

        Assert.Equal(single.Id, store.GetRun("mlp-iris").Id);
        var error = Assert.Throws<RegistryException>(() => store.GetRun("vgg-small-fashion-mnist"));
        Assert.Contains("2 runs are named 'vgg-small-fashion-mnist'", error.Message);
        Assert.Contains(twin.Id[..12], error.Message);
        Assert.Contains("No run has the id or name 'resnet'", Assert.Throws<RegistryException>(() => store.GetRun("resnet")).Message);
    }

    [Fact]
    public void ARunningRunIsShownCrashedOnlyAfterItsHeartbeatStopsForTheTimeout()
    {
        using var home = new TempDirectory();
        var store = NewStore(home);
        var run = store.CreateRun("a", NoParameters, "sha256:d");

        Clock.Advance(RunStore.HeartbeatTimeout - TimeSpan.FromSeconds(1));
        store.Heartbeat(run.Id); // a long epoch: the process still beats
        Clock.Advance(RunStore.HeartbeatTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal("running", RunStatusNames.Shown(store.GetRun(run.Id), Clock.GetUtcNow()));

        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("crashed", RunStatusNames.Shown(store.GetRun(run.Id), Clock.GetUtcNow()));
        store.Finish(run.Id, RunStatus.Interrupted);
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal("interrupted", RunStatusNames.Shown(store.GetRun(run.Id), Clock.GetUtcNow()));
    }

    [Fact]
    public void DeletingRemovesTheRecordAndArtifactsButNeverALiveRunOrATrialsRun()
    {
        using var home = new TempDirectory();
        var store = NewStore(home);
        var finished = store.CreateRun("done", NoParameters, "sha256:d", new Dictionary<string, string> { ["k"] = "v" });
        store.LogEpoch(finished.Id, 1, new Dictionary<string, double> { ["loss"] = 0.5 });
        store.LogMetrics(finished.Id, new Dictionary<string, double> { ["test_accuracy"] = 0.9 });
        File.WriteAllText(Path.Combine(finished.ArtifactsDirectory, "model.weights"), "w");
        store.Finish(finished.Id, RunStatus.Finished);
        var live = store.CreateRun("live", NoParameters, "sha256:d");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var trialRun = store.CreateRun("trial-0", NoParameters, "sha256:d");
        store.Finish(trialRun.Id, RunStatus.Finished);
        var study = new StudyStore(Db, Clock).Open("s", "{}");
        var trials = new TrialStore(Db, Clock, TimeSpan.FromMinutes(5));
        var number = trials.Lease(study.Id, "w1", 5, (_, _) => new Dictionary<string, double> { ["lr"] = 0.1 })!.Trial.Number;
        Assert.True(trials.AttachRun(study.Id, number, "w1", trialRun.Id));

        store.DeleteRun(finished.Id);
        Assert.Contains("no run", Assert.Throws<RegistryException>(() => store.GetRun(finished.Id)).Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(Path.GetDirectoryName(finished.ArtifactsDirectory)));
        Assert.Contains("is still running", Assert.Throws<RegistryException>(() => store.DeleteRun(live.Id)).Message);
        Assert.Contains("trial 0 of a tuning study", Assert.Throws<RegistryException>(() => store.DeleteRun(trialRun.Id)).Message);
        Assert.Equal([trialRun.Id, live.Id], store.ListRuns(10).Select(r => r.Id));

        Clock.Advance(RunStore.HeartbeatTimeout + TimeSpan.FromSeconds(1)); // the live run's process died
        store.DeleteRun(live.Id);
        Assert.Equal([trialRun.Id], store.ListRuns(10).Select(r => r.Id));
    }
}

public sealed class SqliteRunTagAndDeleteTests() : RunTagAndDeleteTests(new SqliteBackend());

public sealed class PostgresRunTagAndDeleteTests() : RunTagAndDeleteTests(new PostgresBackend());
