using System.CommandLine;
using Anvil.Registry.Versions;
using Anvil.Serving;
using Anvil.Serving.Inference;
using Microsoft.Extensions.Hosting;

namespace Anvil.Cli.Commands;

/// <summary>`anvil serve`: the metered prediction API on ONNX Runtime, bound to loopback unless told otherwise.</summary>
internal static class ServeCommand
{
    /// <summary>The operator's token for /metrics on the API listener (an environment variable, so it stays out of argv).</summary>
    public const string MetricsTokenVariable = "ANVIL_METRICS_TOKEN";

    public static Command Create(Registries registries)
    {
        var defaults = new ServingOptions();
        var urls = new Option<string>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:8080 (use http://0.0.0.0:PORT to accept other machines).", DefaultValueFactory = _ => defaults.Urls };
        var maxBatch = new Option<int>("--max-batch-size") { Description = "Most samples per ONNX Runtime run; 1 turns batching off.", DefaultValueFactory = _ => defaults.Batching.MaxBatchSize };
        var maxDelay = new Option<double>("--max-queue-delay-ms") { Description = "Longest a request waits for others to join its batch.", DefaultValueFactory = _ => defaults.Batching.MaxQueueDelay.TotalMilliseconds };
        var threads = new Option<int>("--inference-threads") { Description = "ONNX Runtime threads per model.", DefaultValueFactory = _ => defaults.InferenceThreads };
        var maxLoaded = new Option<int>("--max-loaded-versions") { Description = "Most model versions loaded at once; the least recently used idle one is unloaded to make room.", DefaultValueFactory = _ => defaults.MaxLoadedVersions };
        var maxLoadedPerOrg = new Option<int>("--max-loaded-versions-per-org") { Description = "Most versions one organization's requests may keep loaded.", DefaultValueFactory = _ => defaults.MaxLoadedVersionsPerOrganization };
        var verifyKey = new Option<string?>("--verify-key") { Description = $"PEM public key that model versions must be signed with, kept outside $ANVIL_HOME (also {ManifestSigner.PinnedKeyVariable}); then keys/ in the home is ignored." };
        var metricsUrls = new Option<string?>("--metrics-urls") { Description = $"Serve /metrics on a listener of its own, e.g. http://127.0.0.1:9464. On the API's listener /metrics needs 'Authorization: Bearer' with the token in {MetricsTokenVariable}, and is off without it." };
        var command = new Command("serve", "Serve registered models as a multi-tenant, metered HTTP API.") { urls, maxBatch, maxDelay, threads, maxLoaded, maxLoadedPerOrg, verifyKey, metricsUrls };
        command.SetAction(p => CommandRunner.Run(p, cancellation =>
        {
            var batching = new BatchingOptions(p.GetValue(maxBatch), TimeSpan.FromMilliseconds(p.GetValue(maxDelay)));
            batching.Validate();
            if (p.GetValue(threads) is < 1 or > 256)
                throw new ArgumentException($"--inference-threads must be between 1 and 256; got {p.GetValue(threads)}.");
            var (loaded, loadedPerOrg) = (p.GetValue(maxLoaded), p.GetValue(maxLoadedPerOrg));
            if (loaded < 1 || loadedPerOrg < 1 || loadedPerOrg > loaded)
                throw new ArgumentException($"--max-loaded-versions must be at least 1, and --max-loaded-versions-per-org between 1 and it; got {loaded} and {loadedPerOrg}.");
            var token = Environment.GetEnvironmentVariable(MetricsTokenVariable);
            var options = defaults with
            {
                Urls = p.GetValue(urls)!, Home = registries.Home, Batching = batching, InferenceThreads = p.GetValue(threads),
                MaxLoadedVersions = loaded, MaxLoadedVersionsPerOrganization = loadedPerOrg,
                MetricsUrls = p.GetValue(metricsUrls), MetricsToken = string.IsNullOrWhiteSpace(token) ? null : token,
            };
            registries.Database.DataKeys.CheckKek(); // a missing or wrong KEK stops the start with one line, not every prediction
            var pinnedKey = p.GetValue(verifyKey) ?? Environment.GetEnvironmentVariable(ManifestSigner.PinnedKeyVariable);
            using var verifier = ManifestSigner.OpenForVerification(registries.Home, string.IsNullOrWhiteSpace(pinnedKey) ? null : Path.GetFullPath(pinnedKey));
            var app = ServingApp.Build(options, registries.Database, verifier, registries.Time);
            try
            {
                app.StartAsync(cancellation).GetAwaiter().GetResult();
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                throw new ArgumentException($"Cannot listen on {options.Urls}: the address is in use. Stop the other server or pick another port with --urls.", e);
            }
            Console.Error.WriteLine($"Serving on {string.Join(", ", app.Urls)} with {registries.Database.Backend} (max batch {batching.MaxBatchSize}, max queue delay {batching.MaxQueueDelay.TotalMilliseconds} ms). Ctrl-C stops.");
            app.WaitForShutdownAsync(cancellation).GetAwaiter().GetResult();
            ((IDisposable)app).Dispose();
            return ExitCodes.Success;
        }));
        return command;
    }
}
