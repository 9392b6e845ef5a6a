using Anvil.Dashboard.Shared;
using Anvil.Dashboard.SignIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Anvil.Dashboard.Runs;

/// <summary>/ui/runs: the organization's runs with filters, one run's metrics and curves, and runs side by side.</summary>
internal static class RunsApi
{
    public const int ListLimit = 100;
    public const int MostCompared = 8;

    public static void Map(RouteGroupBuilder ui)
    {
        ui.MapGet("/runs", List);
        ui.MapGet("/runs/compare", Compare);
        ui.MapGet("/runs/{id}", Show);
        ui.MapGet("/runs/{id}/plots/{plot}.png", Plot);
    }

    private static RazorComponentResult List(HttpContext context, IRunStore runs, TimeProvider time)
    {
        var query = context.Request.Query;
        var status = query["status"].ToString();
        var tag = query["tag"].ToString();
        var name = query["name"].ToString();
        RunStatus? wanted = null;
        if (status.Length > 0)
        {
            if (!Enum.TryParse<RunStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
                return Pages.Message(context, 400, "Runs", $"'{status}' is not a run status; choose running, finished, failed or interrupted.");
            wanted = parsed;
        }

        KeyValuePair<string, string>? tagFilter = null;
        if (tag.Length > 0)
        {
            var equals = tag.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                return Pages.Message(context, 400, "Runs", $"The tag filter '{tag}' needs the form key=value, e.g. team=vision.");
            tagFilter = new(tag[..equals], tag[(equals + 1)..]);
        }

        if (name.Length > 200)
            return Pages.Message(context, 400, "Runs", "The name filter is at most 200 characters.");
        var filter = new RunFilter(SignedIn.Get(context).OrganizationId, tagFilter, wanted, name.Length > 0 ? name : null);
        return Pages.Render<RunsPage>(context, new()
        {
            ["Runs"] = runs.ListRunSummaries(filter, ListLimit),
            ["Status"] = status,
            ["Tag"] = tag,
            ["Name"] = name,
            ["Now"] = time.GetUtcNow(),
        });
    }

    private static RazorComponentResult Show(HttpContext context, string id, IRunStore runs, TimeProvider time)
    {
        if (runs.FindRuns([id], SignedIn.Get(context).OrganizationId) is not [var run])
            return Pages.NotFound(context, $"run '{id}'");
        return Pages.Render<RunPage>(context, new()
        {
            ["Run"] = run,
            ["Now"] = time.GetUtcNow(),
            ["Evaluation"] = StoredEvaluation.Parse(runs.FindEvaluation(run.Id)),
            ["Plots"] = RunPlots.Present(run),
        });
    }

    private static IResult Plot(HttpContext context, string id, string plot, IRunStore runs)
    {
        if (runs.FindRuns([id], SignedIn.Get(context).OrganizationId) is not [var run] || RunPlots.Find(run, plot) is not { } path)
            return Pages.NotFound(context, $"plot '{plot}' of run '{id}'");
        context.Response.Headers.CacheControl = "private, no-store";
        return Results.File(path, "image/png");
    }

    private static RazorComponentResult Compare(HttpContext context, IRunStore runs)
    {
        var ids = context.Request.Query["id"].Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count is < 2 or > MostCompared)
            return Pages.Message(context, 400, "Compare runs", $"Tick between 2 and {MostCompared} runs to compare; {ids.Count} were ticked.");
        var found = runs.FindRuns(ids, SignedIn.Get(context).OrganizationId);
        if (found.Count != ids.Count)
        {
            // One message whichever id is missing or another organization's: nothing about them is leaked.
            return Pages.NotFound(context, $"run among {string.Join(", ", ids.Where(id => found.All(r => r.Id != id)).Select(id => $"'{id}'"))}");
        }

        return Pages.Render<ComparePage>(context, new() { ["Runs"] = found });
    }
}
