using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Anvil.Cli.Tests.Support;
using Xunit.Abstractions;

namespace Anvil.Cli.Tests;

/// <summary>The serving loop through the real CLI: train → register → orgs, keys → serve → predict → usage, and SIGKILL under load.</summary>
public class ServeCommandTests(ITestOutputHelper output)
{
    internal static string TrainAndRegister(AnvilProcess anvil, int epochs = 1, int limit = 200)
    {
        var data = anvil.SampleFashionMnist();
        var trained = anvil.Run("train", "--data-dir", data, "--model", "seed-cnn", "--epochs", $"{epochs}", "--limit", $"{limit}", "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runId = JsonDocument.Parse(trained.Stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("run_id").GetString()!;
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        var registered = anvil.Run("register", runId[..10], "--name", "fashion", "--org", "acme");
        Assert.True(registered.ExitCode == 0, registered.Stderr);
        Assert.Contains("fashion version 1", registered.Stdout, StringComparison.Ordinal);
        return runId;
    }

    internal static string CreateKey(AnvilProcess anvil, string plan = "enterprise")
    {
        var created = anvil.Run("keys", "create", "--org", "acme", "--plan", plan);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var key = created.Stdout.Trim();
        Assert.Matches("^anvil_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$", key);
        return key;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A client that sends prediction <paramref name="i"/> with Idempotency-Key <c>request-{i}</c> until it is answered:
    /// a connection error (the server is down) is retried after 50 ms, each retry on the next of <paramref name="clients"/>
    /// (another replica); any answer but 200 fails the test. True when the answer was a replay.
    /// </summary>
    private static async Task<bool> PredictUntilAnswered(HttpClient[] clients, int i, Action failedAttempt)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/fashion/predict") { Content = Body(i) };
                request.Headers.Add("Idempotency-Key", $"request-{i}");
                using var response = await clients[(i + attempt) % clients.Length].SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                    return response.Headers.Contains("Idempotent-Replayed");
                Assert.Fail($"request {i} got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failedAttempt();
                await Task.Delay(50);
            }
        }
    }

    private static StringContent Body(int seed)
    {
        var random = new Random(seed);
        var image = new[] { Enumerable.Range(0, 28).Select(_ => Enumerable.Range(0, 28).Select(_ => random.Next(256)).ToArray()).ToArray() };
        return new StringContent(JsonSerializer.Serialize(new { inputs = new[] { image } }), Encoding.UTF8, "application/json");
    }

    internal static long Billed(AnvilProcess anvil)
    {
        var usage = anvil.Run("usage", "--org", "acme", "--json");
        Assert.True(usage.ExitCode == 0, usage.Stderr);
        return JsonDocument.Parse(usage.Stdout.Trim()).RootElement.GetProperty("billed_predictions").GetInt64();
    }

    [Fact]
    public async Task TrainRegisterServePredictAndMeterThroughTheCli()
    {
        using var anvil = new AnvilProcess();
        TrainAndRegister(anvil);
        var key = CreateKey(anvil);
        var keys = anvil.Run("keys", "list", "--org", "acme", "--json");
        Assert.DoesNotContain(key, keys.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(key, File.ReadAllText(Path.Combine(anvil.Home, "registry.db"), Encoding.Latin1), StringComparison.Ordinal);

        var port = FreePort();
        await using (var server = await RunningServer.StartAsync(anvil, port))
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await client.PostAsync("/v1/models/fashion/predict", Body(1));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var prediction = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(1, prediction.GetProperty("version").GetInt32());
            Assert.Equal(10, prediction.GetProperty("predictions")[0].GetProperty("probabilities").EnumerateObject().Count());

            Assert.Contains("champion=v1", anvil.Run("models", "list", "--org", "acme").Stdout, StringComparison.Ordinal);
            Assert.Equal(1, Billed(anvil));

            var revoked = anvil.Run("keys", "revoke", key);
            Assert.True(revoked.ExitCode == 0, revoked.Stderr);
            using var afterRevoke = await client.PostAsync("/v1/models/fashion/predict", Body(1));
            Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        }

        Assert.NotEqual(0, anvil.Run("models", "alias", "fashion", "champion", "7", "--org", "acme").ExitCode);
        var noOrg = anvil.Run("keys", "create", "--org", "nobody", "--plan", "free");
        Assert.Equal(1, noOrg.ExitCode);
        Assert.Contains("./anvil orgs create nobody", noOrg.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadServeOptionsAndABusyPortGiveOneClearLine()
    {
        using var anvil = new AnvilProcess();
        var batch = anvil.Run("serve", "--max-batch-size", "0");
        Assert.Equal(1, batch.ExitCode);
        Assert.Contains("--max-batch-size must be between 1 and 4096", batch.Stderr, StringComparison.Ordinal);
        var delay = anvil.Run("serve", "--max-queue-delay-ms", "5000");
        Assert.Equal(1, delay.ExitCode);
        Assert.Contains("--max-queue-delay-ms must be between 0 and 1000", delay.Stderr, StringComparison.Ordinal);

        var pinned = anvil.Run("serve", "--verify-key", Path.Combine(anvil.Home, "elsewhere.pub.pem"));
        Assert.Equal(1, pinned.ExitCode);
        Assert.Contains("The pinned verification key", pinned.Stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", pinned.Stderr, StringComparison.Ordinal);

        TrainAndRegister(anvil);
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var inUse = anvil.Run("serve", "--urls", $"http://127.0.0.1:{port}");
        Assert.Equal(1, inUse.ExitCode);
        Assert.Contains("the address is in use", inUse.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", inUse.Stdout + inUse.Stderr, StringComparison.Ordinal); // one line, no stack trace from the host's log
    }

    [Fact]
    public async Task KillNineUnderLoadAndRestartBillsExactlyTheAnsweredPredictions()
    {
        using var anvil = new AnvilProcess();
        TrainAndRegister(anvil);
        var key = CreateKey(anvil);
        var port = FreePort();
        await using var server = await RunningServer.StartAsync(anvil, port);
        const int Requests = 240;
        var answered = 0;
        var failedAttempts = 0;
        var killed = false;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        async Task Worker(int worker)
        {
            for (var i = worker; i < Requests; i += 8)
            {
                await PredictUntilAnswered([client], i, () => Interlocked.Increment(ref failedAttempts));
                Interlocked.Increment(ref answered);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() => Worker(w))).ToArray();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (Volatile.Read(ref answered) < Requests / 3)
        {
            if (workers.FirstOrDefault(w => w.IsFaulted) is { } failed)
                await failed; // surfaces the worker's assertion
            Assert.True(DateTime.UtcNow < deadline, $"only {answered} of {Requests} answered after 2 minutes");
            await Task.Delay(5);
        }
        await server.KillAsync(); // SIGKILL: no shutdown, no flush
        killed = true;
        await using (var restarted = await RunningServer.StartAsync(anvil, port))
            await Task.WhenAll(workers);

        Assert.True(killed);
        Assert.True(failedAttempts > 0, "the kill did not interrupt the load");
        Assert.Equal(Requests, answered);
        Assert.Equal(Requests, Billed(anvil)); // every answered prediction billed once, none twice, none lost
    }

    [Fact]
    public async Task KillNineOfOneOfTwoPostgresReplicasUnderLoadBillsExactlyTheAnsweredPredictions()
    {
        using var anvil = new AnvilProcess { DatabaseUrl = TestPostgres.CreateDatabase() };
        TrainAndRegister(anvil);
        var key = CreateKey(anvil);
        int[] ports = [FreePort(), FreePort()];
        var servers = new RunningServer?[2];
        const int Requests = 240;
        var answered = 0;
        var failedAttempts = 0;
        var replayedAcross = 0;
        var clients = ports.Select(port =>
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }).ToArray();

        async Task Worker(int worker)
        {
            for (var i = worker; i < Requests; i += 8)
            {
                if (await PredictUntilAnswered(clients, i, () => Interlocked.Increment(ref failedAttempts)))
                    Interlocked.Increment(ref replayedAcross);
                Interlocked.Increment(ref answered);
            }
        }

        try
        {
            for (var r = 0; r < 2; r++)
                servers[r] = await RunningServer.StartAsync(anvil, ports[r]);
            var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() => Worker(w))).ToArray();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (Volatile.Read(ref answered) < Requests / 3)
            {
                if (workers.FirstOrDefault(w => w.IsFaulted) is { } failed)
                    await failed; // surfaces the worker's assertion
                Assert.True(DateTime.UtcNow < deadline, $"only {answered} of {Requests} answered after 2 minutes");
                await Task.Delay(5);
            }
            var answeredAtKill = Volatile.Read(ref answered);
            await servers[0]!.DisposeAsync(); // SIGKILL: no shutdown, no flush
            servers[0] = await RunningServer.StartAsync(anvil, ports[0]);
            await Task.WhenAll(workers);

            var billed = Billed(anvil);
            output.WriteLine($"two PostgreSQL replicas, replica 1 killed at {answeredAtKill} answered: answered {answered}, billed {billed}, failed attempts {failedAttempts}, answered as replays {replayedAcross}");
            Assert.True(failedAttempts > 0, "the kill did not interrupt the load");
            Assert.Equal(Requests, answered);
            Assert.Equal(Requests, billed); // every answered prediction billed once, none twice, none lost
        }
        finally
        {
            foreach (var server in servers)
            {
                if (server is not null)
                    await server.DisposeAsync();
            }
            foreach (var client in clients)
                client.Dispose();
        }
    }
}
