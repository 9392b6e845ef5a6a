using System.Net;
using System.Net.Sockets;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>/metrics names every tenant: it is off on the API listener unless the operator's token is sent.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task ByDefaultMetricsAreNotServedOnTheApiListenerEvenFromLoopback()
    {
        await using var host = await ServingHost.StartAsync();
        using var client = host.Client();
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OperatorTokenOpensMetricsOnTheApiListenerAndNothingElseDoes()
    {
        await using var host = await ServingHost.StartAsync(new ServingOptions { MetricsToken = "operator-secret" });
        using var client = host.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(client, "Bearer operator-secreT")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(client, "Bearer " + host.CreateKey(host.Acme))).StatusCode);

        using var allowed = await Get(client, "Bearer operator-secret");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("# TYPE anvil_batches_total counter", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsListenerServesMetricsThatTheApiListenerRefuses()
    {
        var port = FreePort();
        await using var host = await ServingHost.StartAsync(new ServingOptions { MetricsUrls = $"http://127.0.0.1:{port}" });
        using var api = host.Client();
        using var operatorPort = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        // a Host header naming the metrics port does not fool the API listener: the connection's port decides
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = $"127.0.0.1:{port}" } };
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(spoofed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorPort.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task TheMetricsListenerDoesNotServeTheApi()
    {
        var port = FreePort();
        await using var host = await ServingHost.StartAsync(new ServingOptions { MetricsUrls = $"http://127.0.0.1:{port}" });
        using var operatorPort = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        operatorPort.DefaultRequestHeaders.Authorization = new("Bearer", host.CreateKey(host.Acme));

        using var models = await operatorPort.GetAsync(new Uri("/v1/models", UriKind.Relative));
        using var openApi = await operatorPort.GetAsync(new Uri(ServingApp.OpenApiPath, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, models.StatusCode); // before: 200 with the organization's models
        Assert.Contains("--urls", await models.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, openApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorPort.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        using var api = host.Client(host.CreateKey(host.Acme));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(new Uri("/v1/models", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public void MetricsListenerOnTheApiPortIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Api.MetricsEndpoint.Listeners(new ServingOptions { Urls = "http://127.0.0.1:8080", MetricsUrls = "http://0.0.0.0:8080" }));
        Assert.Contains("ports of its own", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsCountEachOrganizationsTrafficUnderItsOwnModelAndVersionWhenTheyShareASession()
    {
        await using var host = await ServingHost.StartAsync(new ServingOptions { MetricsToken = "operator-secret" });
        var fashion = host.AddVersion(host.Acme);
        var shared = host.AddVersion(host.Globex, name: "shared", seed: 1);
        Assert.Equal(fashion.ManifestDigest, shared.ManifestDigest); // one run registered by two organizations: one session
        using var acme = host.Client(host.CreateKey(host.Acme));
        using var globex = host.Client(host.CreateKey(host.Globex));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(acme, Requests.Json(Requests.Image(1), Requests.Image(2), Requests.Image(3)))).StatusCode); // acme loads it first
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(globex, Requests.Json(Requests.Image(4), Requests.Image(5)), model: "shared")).StatusCode);

        using var operatorClient = host.Client();
        using var response = await Get(operatorClient, "Bearer operator-secret");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        Assert.Contains($"anvil_predictions_total{{organization=\"{host.Acme.Id}\",model=\"fashion\",version=\"1\"}} 3", lines);
        Assert.Contains($"anvil_predictions_total{{organization=\"{host.Globex.Id}\",model=\"shared\",version=\"1\"}} 2", lines);
        Assert.Contains($"anvil_requests_total{{organization=\"{host.Globex.Id}\",model=\"shared\",version=\"1\"}} 1", lines);
        Assert.DoesNotContain(lines, l => l.Contains(host.Globex.Id, StringComparison.Ordinal) && l.Contains("fashion", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(host.Acme.Id, StringComparison.Ordinal) && l.Contains("shared", StringComparison.Ordinal));
        Assert.Contains($"anvil_batch_samples_total{{digest=\"{fashion.ManifestDigest}\"}} 5", lines); // the session's batches: every tenant's, named by no tenant
    }

    [Fact]
    public async Task MetricsShowTheLedgersGroupCommitsAndAdmissionWritesWithTheTimeSpentInThem()
    {
        await using var host = await ServingHost.StartAsync(new ServingOptions { MetricsToken = "operator-secret" });
        host.AddVersion(host.Acme);
        using var acme = host.Client(host.CreateKey(host.Acme));
        using var operatorClient = host.Client();
        var before = await LedgerMetricsAsync(operatorClient);

        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(acme, Requests.Json(Requests.Image(1)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(acme, Requests.Json(Requests.Image(2), Requests.Image(3)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Requests.PredictAsync(acme, Requests.RawJson("{\"inputs\": 7}"))).StatusCode); // counted in the minute: a write, no commit
        var after = await LedgerMetricsAsync(operatorClient);

        Assert.Equal(0, before["anvil_usage_committed_requests_total"]);
        Assert.Equal(2, after["anvil_usage_committed_requests_total"]); // requests, not predictions
        Assert.InRange(after["anvil_usage_commits_total"], 1, 2); // one group, or one each
        Assert.Equal(3, after["anvil_admission_writes_total"] - before["anvil_admission_writes_total"]); // two reservations one at a time, one counted bad body
        Assert.True(after["anvil_usage_commit_seconds_total"] > 0);
        Assert.True(after["anvil_admission_write_seconds_total"] > before["anvil_admission_write_seconds_total"]);
    }

    private static async Task<Dictionary<string, double>> LedgerMetricsAsync(HttpClient operatorClient)
    {
        using var response = await Get(operatorClient, "Bearer operator-secret");
        return (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(line => line.StartsWith("anvil_usage_", StringComparison.Ordinal) || line.StartsWith("anvil_admission_", StringComparison.Ordinal))
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Task<HttpResponseMessage> Get(HttpClient client, string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return client.SendAsync(request);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
