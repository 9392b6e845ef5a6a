using Anvil.Cli.Tests.Support;
using Anvil.Client;
using SkiaSharp;

namespace Anvil.Cli.Tests;

/// <summary>The C# client against a real `./anvil serve`: every route, typed errors, retries, and exactly-once billing across a restart.</summary>
public class ClientTests
{
    /// <summary>Counts attempts on the wire and keeps their statuses; the requests themselves go to the real server.</summary>
    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public int Attempts;
        public readonly System.Collections.Concurrent.ConcurrentQueue<int> Statuses = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Attempts);
            var response = await base.SendAsync(request, cancellationToken);
            Statuses.Enqueue((int)response.StatusCode);
            return response;
        }
    }

    /// <summary>Runs SQL on the registry of <paramref name="anvil"/> while its server runs, as an operator or a failing disk would.</summary>
    private static void Sql(AnvilProcess anvil, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(anvil.Home, "registry.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The usage ledger's writes fail inside their transaction, as a full disk makes them fail: the server answers 503 and bills nothing.</summary>
    private const string LedgerFails = "CREATE TRIGGER ledger_fails BEFORE INSERT ON predictions BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;";

    internal static byte[] Png(int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(28, 28, SKColorType.Gray8, SKAlphaType.Opaque);
        for (var y = 0; y < 28; y++)
            for (var x = 0; x < 28; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), 0, 0));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A tiny DCGAN registered as 'shoes' for acme (seconds; see GanRunTests).</summary>
    private static void TrainAndRegisterGenerator(AnvilProcess anvil)
    {
        const string Adam = """{"learning_rate": 0.0002, "beta1": 0.5, "beta2": 0.999}""";
        var recipe = Path.Combine(anvil.Home, "gan.json");
        var gan = $$"""{"noise": 16, "train_images": 64, "judge_epochs": 1, "samples": 100, "generator": {{Adam}}, "discriminator": {{Adam}} }""";
        File.WriteAllText(recipe, $$"""{"epochs": 1, "batch_size": 32, "validation_fraction": 0, "seed": 1, "gan": {{gan}} }""");
        var trained = anvil.Run("train", "--data-dir", anvil.SampleFashionMnist(), "--recipe", recipe, "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runId = System.Text.Json.JsonDocument.Parse(trained.Stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("run_id").GetString()!;
        var registered = anvil.Run("register", runId, "--name", "shoes", "--org", "acme");
        Assert.True(registered.ExitCode == 0, registered.Stderr);
    }

    private static AnvilClient Client(int port, string key, HttpMessageHandler? handler = null, int retries = 4) =>
        new(new AnvilClientOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"), ApiKey = key, MaxRetries = retries,
            InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200),
        }, handler);

    [Fact]
    public async Task EveryRouteAnswersTypedAndRefusalsBecomeTypedExceptionsThatAreNotRetried()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        TrainAndRegisterGenerator(anvil);
        var key = ServeCommandTests.CreateKey(anvil);
        var port = ServeCommandTests.FreePort();
        await using var server = await RunningServer.StartAsync(anvil, port);
        using var handler = new CountingHandler();
        using var client = Client(port, key, handler);

        var one = await client.PredictImagesAsync("fashion", [Png(1)]);
        var two = await client.PredictImagesAsync("fashion", [Png(2), Png(3)], new PredictOptions(Alias: "champion"));
        var pixels = await client.PredictAsync("fashion", [new[] { Enumerable.Range(0, 28).Select(_ => new int[28]).ToArray() }], new PredictOptions(Version: 1)); // [1, 28, 28]
        Assert.Equal(("fashion", 1L), (one.Model, one.Version));
        Assert.Equal(2, two.Predictions.Count);
        Assert.Equal(10, Assert.Single(pixels.Predictions).Probabilities!.Count);
        Assert.Equal(["fashion", "shoes"], (await client.ListModelsAsync()).Select(m => m.Name).Order());
        Assert.Equal(1, Assert.Single((await client.GetModelAsync("fashion")).Versions).Version);
        var feedback = await client.SendFeedbackAsync(one.Predictions[0].Id, "Sneaker", "a shoe");
        Assert.Equal(("Sneaker", 7), (feedback.LabelName, feedback.Label));
        var page = await client.ListFeedbackAsync(model: "fashion", label: "Sneaker", limit: 10);
        Assert.Equal((one.Predictions[0].Id, "a shoe"), (Assert.Single(page.Items).PredictionId, page.Items[0].Comment));
        var generated = await client.GenerateAsync("shoes", count: 2, seed: 7);
        var again = await client.GenerateAsync("shoes", count: 2, seed: 7);
        Assert.Equal(2, generated.Images.Count);
        Assert.Equal(generated.Images[1].Png(), again.Images[1].Png()); // the same seed, the same images
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], generated.Images[0].Png()[..4]);
        var usage = await client.GetUsageAsync();
        Assert.Equal(4 + 4, usage.Invoice.BilledPredictions);
        Assert.Equal(8, usage.Days.Sum(d => d.Predictions));
        var cli = System.Text.Json.JsonDocument.Parse(anvil.Run("usage", "--org", "acme", "--json").Stdout).RootElement; // one vocabulary
        Assert.Equal(usage.Invoice.BilledPredictions, cli.GetProperty("invoice").GetProperty("billed_predictions").GetInt64());
        Assert.Equal(usage.Invoice.TotalUsd, cli.GetProperty("invoice").GetProperty("total_usd").GetString());
        Assert.Equal(usage.Days.Select(d => d.Model).Order(), cli.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("model").GetString()).Order());
        var detail = await client.GetModelAsync("fashion"); // and for models: models show --json names the same things alike
        var shown = System.Text.Json.JsonDocument.Parse(anvil.Run("models", "show", "fashion", "--org", "acme", "--json").Stdout).RootElement;
        Assert.Equal(detail.Model.Name, shown.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(detail.Model.LatestVersion, shown.GetProperty("model").GetProperty("latest_version").GetInt64());
        Assert.Equal(detail.Model.Aliases["champion"], shown.GetProperty("model").GetProperty("aliases").GetProperty("champion").GetInt64());
        Assert.Equal(detail.Versions[0].ManifestDigest, shown.GetProperty("versions")[0].GetProperty("manifest_digest").GetString());
        Assert.Equal(detail.Versions[0].RunId, shown.GetProperty("versions")[0].GetProperty("run_id").GetString());

        var attempts = handler.Attempts;
        var missing = await Assert.ThrowsAsync<AnvilNotFoundException>(() => client.PredictImagesAsync("nope", [Png(1)]));
        Assert.Contains("nope", missing.Detail);
        var wrong = await Assert.ThrowsAsync<AnvilInvalidRequestException>(() => client.PredictAsync("fashion", [new[] { 1, 2, 3 }]));
        Assert.Equal(400, (int)wrong.Status);
        Assert.False(string.IsNullOrWhiteSpace(wrong.Detail));
        await Assert.ThrowsAsync<AnvilInvalidRequestException>(() => client.SendFeedbackAsync(one.Predictions[0].Id, "Spaceship"));
        Assert.Equal(attempts + 3, handler.Attempts); // a 4xx is never retried

        using var stranger = Client(port, key[..^4] + "AAAA");
        await Assert.ThrowsAsync<AnvilAuthenticationException>(() => stranger.ListModelsAsync());
        // A key scoped away from a model meets it as missing (its existence is not revealed); a viewer may read, not predict.
        var scoped = anvil.Run("keys", "create", "--org", "acme", "--plan", "enterprise", "--models", "shoes");
        var viewer = anvil.Run("keys", "create", "--org", "acme", "--plan", "enterprise", "--role", "viewer");
        Assert.True(scoped.ExitCode == 0 && viewer.ExitCode == 0, scoped.Stderr + viewer.Stderr);
        using var shoesOnly = Client(port, scoped.Stdout.Trim());
        Assert.Equal(2, (await shoesOnly.GenerateAsync("shoes", count: 2, seed: 1)).Images.Count);
        await Assert.ThrowsAsync<AnvilNotFoundException>(() => shoesOnly.PredictImagesAsync("fashion", [Png(1)]));
        using var reader = Client(port, viewer.Stdout.Trim());
        Assert.Equal(2, (await reader.ListModelsAsync()).Count);
        var refused = await Assert.ThrowsAsync<AnvilPermissionException>(() => reader.PredictImagesAsync("fashion", [Png(1)]));
        Assert.Contains("viewer", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(0, anvil.Run("keys", "revoke", viewer.Stdout.Trim()).ExitCode);
        using var revokedHandler = new CountingHandler();
        using var revoked = Client(port, viewer.Stdout.Trim(), revokedHandler);
        await Assert.ThrowsAsync<AnvilAuthenticationException>(() => revoked.ListModelsAsync());
        Assert.Equal(1, revokedHandler.Attempts); // a revoked key is not retried
        Assert.Throws<ArgumentException>(() => new AnvilClient(new AnvilClientOptions { BaseAddress = new Uri("http://127.0.0.1:1"), ApiKey = " " }));
    }

    [Fact]
    public async Task A429IsRetriedAfterItsRetryAfterAndThenRaisedWithIt()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        Assert.Equal(0, anvil.Run("plans", "set", "tiny", "--rpm", "1", "--monthly-quota", "100", "--price-per-1000", "1").ExitCode);
        var key = ServeCommandTests.CreateKey(anvil, plan: "tiny");
        var port = ServeCommandTests.FreePort();
        await using var server = await RunningServer.StartAsync(anvil, port);
        using var handler = new CountingHandler();
        using var client = Client(port, key, handler, retries: 2);
        await client.PredictImagesAsync("fashion", [Png(1)]);

        var limited = await Assert.ThrowsAsync<AnvilRateLimitException>(() => client.PredictImagesAsync("fashion", [Png(2)]));
        Assert.Equal(1 + 3, handler.Attempts); // the first call, then the second call's attempt and its 2 retries
        Assert.NotNull(limited.RetryAfter);
        Assert.InRange(limited.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(61));
        Assert.Equal(1, ServeCommandTests.Billed(anvil));
    }

    [Fact]
    public async Task A503IsRetriedUntilTheServerRecoversAndRaisedWhenRetriesRunOut()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        var key = ServeCommandTests.CreateKey(anvil);
        var port = ServeCommandTests.FreePort();
        await using var server = await RunningServer.StartAsync(anvil, port);
        Sql(anvil, LedgerFails);

        using var once = Client(port, key, retries: 0);
        var failing = await Assert.ThrowsAsync<AnvilServerException>(() => once.PredictImagesAsync("fashion", [Png(3)]));
        Assert.Equal(503, (int)failing.Status);
        Assert.Contains("nothing was billed", failing.Detail, StringComparison.Ordinal);

        using var handler = new CountingHandler();
        using var client = Client(port, key, handler, retries: 1000);
        var call = client.PredictImagesAsync("fashion", [Png(4)], new PredictOptions(IdempotencyKey: "order-503"));
        while (handler.Statuses.Count < 3 && !call.IsCompleted)
            await Task.Delay(20); // until the server has answered three 503s
        Assert.False(call.IsCompleted);
        Sql(anvil, "DROP TRIGGER ledger_fails;");
        var answer = await call;

        Assert.Single(answer.Predictions);
        var statuses = handler.Statuses.ToArray();
        Assert.True(statuses.Length >= 4, string.Join(", ", statuses));
        Assert.All(statuses[..^1], status => Assert.Equal(503, status)); // retried on every 503, one logical call with one key
        Assert.Equal(200, statuses[^1]);
        Assert.Equal(1, ServeCommandTests.Billed(anvil));
    }

    [Fact]
    public async Task AClientRestartedMidRetryWithItsKeyIsAnsweredOnceAndBilledOnce()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        var key = ServeCommandTests.CreateKey(anvil);
        var port = ServeCommandTests.FreePort();
        var call = new PredictOptions(IdempotencyKey: "order-1234");
        string firstId;
        await using (var server = await RunningServer.StartAsync(anvil, port))
        {
            using var first = Client(port, key); // the server answers, then this process "dies" before it stores the answer
            firstId = (await first.PredictImagesAsync("fashion", [Png(7)], call)).Predictions[0].Id;
            await server.KillAsync();
        }

        using var restarted = Client(port, key, retries: 300); // the server is down: refused connections are retried
        var retrying = restarted.PredictImagesAsync("fashion", [Png(7)], call);
        await Task.Delay(500);
        Assert.False(retrying.IsCompleted);
        await using var again = await RunningServer.StartAsync(anvil, port);
        var answer = await retrying;
        Assert.Equal(firstId, answer.Predictions[0].Id); // the stored answer, replayed
        Assert.Equal(1, ServeCommandTests.Billed(anvil));
    }

    /// <summary>One predict call of the Python client with an Idempotency-Key: python3 -c PythonCall IMAGE KEY prints the prediction id.</summary>
    private const string PythonCall = """
        import os, sys
        from anvil_client import AnvilClient
        anvil = AnvilClient(os.environ["ANVIL_URL"], max_retries=100000, initial_backoff=0.05, max_backoff=0.2)
        answer = anvil.predict_images("fashion", [open(sys.argv[1], "rb").read()], idempotency_key=sys.argv[2])
        print(answer["predictions"][0]["id"])
        """;

    /// <summary>The same call with the TypeScript client (built in dist/): node --input-type=module -e TypeScriptCall IMAGE KEY.</summary>
    private const string TypeScriptCall = """
        import { readFileSync } from "node:fs";
        import { AnvilClient } from "./dist/src/index.js";
        const anvil = new AnvilClient({ baseUrl: process.env.ANVIL_URL, maxRetries: 100000, initialBackoffMs: 50, maxBackoffMs: 200 });
        const answer = await anvil.predictImages("fashion", [readFileSync(process.argv[1])], { idempotencyKey: process.argv[2] });
        console.log(answer.predictions[0].id);
        """;

    [Fact]
    public async Task PythonAndTypeScriptClientsKilledAndRestartedMidRetryWithTheirKeyAreBilledOnce()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        var port = ServeCommandTests.FreePort();
        var clients = Path.Combine(AnvilProcess.RepositoryRoot, "clients");
        var typescript = Path.Combine(clients, "typescript");
        Assert.True(Directory.Exists(Path.Combine(typescript, "node_modules")), "run `npm ci` in clients/typescript first (.ci/run does)");
        var built = await AnvilProcess.RunProgram(typescript, null, "npm", "run", "build");
        Assert.True(built.ExitCode == 0, built.Output);
        var image = Path.Combine(anvil.Home, "shoe.png");
        File.WriteAllBytes(image, Png(7));
        var environment = new Dictionary<string, string>
        {
            ["ANVIL_URL"] = $"http://127.0.0.1:{port}",
            ["ANVIL_API_KEY"] = ServeCommandTests.CreateKey(anvil),
            ["PYTHONPATH"] = Path.Combine(clients, "python"),
        };
        var callers = new (string Directory, string Program, string[] Args)[]
        {
            (Path.Combine(clients, "python"), "python3", ["-c", PythonCall, image, "order-python"]),
            (typescript, "node", ["--input-type=module", "-e", TypeScriptCall, image, "order-typescript"]),
        };

        var billed = 0;
        foreach (var (directory, program, args) in callers)
        {
            string firstId;
            await using (var server = await RunningServer.StartAsync(anvil, port))
            {
                var first = await AnvilProcess.RunProgram(directory, environment, program, args); // answered and billed; then its answer is lost
                Assert.True(first.ExitCode == 0, first.Output);
                firstId = first.Output.Trim();
                await server.KillAsync();
            }

            using (var killed = AnvilProcess.StartProgram(directory, environment, program, args)) // retries the refused connections ...
            {
                await Task.Delay(1000);
                Assert.False(killed.HasExited, $"{program}: the call ended while the server was down");
                killed.Kill(entireProcessTree: true); // ... and is killed mid-retry
                await killed.WaitForExitAsync();
            }

            using var restarted = AnvilProcess.StartProgram(directory, environment, program, args);
            var answered = AnvilProcess.Finish(restarted);
            await Task.Delay(500);
            Assert.False(answered.IsCompleted, $"{program}: the call ended while the server was down");
            await using var again = await RunningServer.StartAsync(anvil, port);
            var (exitCode, output) = await answered;
            Assert.True(exitCode == 0, output);
            Assert.Equal(firstId, output.Trim()); // the stored answer, replayed to the restarted process
            Assert.Equal(++billed, ServeCommandTests.Billed(anvil));
        }
    }

    [Fact]
    public async Task ThePythonAndTypeScriptClientsPassTheirSuitesAgainstTheServer()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        TrainAndRegisterGenerator(anvil);
        Assert.Equal(0, anvil.Run("plans", "set", "tiny", "--rpm", "1", "--monthly-quota", "100", "--price-per-1000", "1").ExitCode);
        var environment = new Dictionary<string, string>
        {
            ["ANVIL_GENERATOR"] = "shoes",
            ["ANVIL_API_KEY"] = ServeCommandTests.CreateKey(anvil),
            ["ANVIL_LIMITED_KEY"] = ServeCommandTests.CreateKey(anvil, plan: "tiny"),
        };
        var port = ServeCommandTests.FreePort();
        environment["ANVIL_URL"] = $"http://127.0.0.1:{port}";
        await using var server = await RunningServer.StartAsync(anvil, port);
        var clients = Path.Combine(AnvilProcess.RepositoryRoot, "clients");
        var python = await AnvilProcess.RunProgram(Path.Combine(clients, "python"), Python(environment, Path.Combine(clients, "python")), "python3", "-m", "unittest", "discover", "-s", "tests", "-v");
        Assert.True(python.ExitCode == 0, python.Output);
        Assert.Contains("Ran 6 tests", python.Output);
        Assert.DoesNotContain("skipped", python.Output);

        environment["ANVIL_LIMITED_KEY"] = ServeCommandTests.CreateKey(anvil, plan: "tiny"); // the first one's minute is used up
        var typescript = Path.Combine(clients, "typescript");
        Assert.True(Directory.Exists(Path.Combine(typescript, "node_modules")), "run `npm ci` in clients/typescript first (.ci/run does)");
        var node = await AnvilProcess.RunProgram(typescript, environment, "npm", "test");
        Assert.True(node.ExitCode == 0, node.Output);
        Assert.Contains("# pass 6", node.Output);
    }

    private static Dictionary<string, string> Python(Dictionary<string, string> environment, string directory) =>
        new(environment) { ["PYTHONPATH"] = directory };
}
