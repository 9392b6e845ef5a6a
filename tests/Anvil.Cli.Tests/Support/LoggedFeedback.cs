using System.Runtime.InteropServices;
using Anvil.Registry.Encryption;
using Anvil.Registry.Models;
using Anvil.Registry.Predictions;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;
using Anvil.Registry.Usage;

namespace Anvil.Cli.Tests.Support;

/// <summary>Writes logged predictions with feedback into a test's registry as the server would (no server needed), all sent by one new API key per call.</summary>
internal static class LoggedFeedback
{
    /// <param name="inputs">One float32 sample per prediction, as a client sent it.</param>
    /// <param name="shape">The logged input shape, e.g. "1,28,28" or "3".</param>
    /// <param name="labels">Feedback per sample: class index and name.</param>
    /// <returns>The id of the key that sent them.</returns>
    public static string Add(AnvilProcess anvil, string model, IReadOnlyList<float[]> inputs, string shape, IReadOnlyList<(int Index, string Name)> labels)
    {
        using var db = RegistryDatabase.Open(new RegistryOptions(Path.Combine(anvil.Home, "registry.db")) { KeyEncryptionKey = () => anvil.Kek }, TimeProvider.System);
        var org = new Organizations(db, TimeProvider.System).Get("acme");
        var plan = new Plans(db).Get("free");
        var key = new ApiKeys(db, TimeProvider.System).Create("acme", plan.Name).Key;
        var version = new ModelCatalog(db, TimeProvider.System).Resolve(org.Id, model, "champion")!;
        for (var i = 0; i < inputs.Count; i++)
        {
            var prediction = new PredictionRecord($"pred_{Guid.NewGuid():N}", model, version.Version, MemoryMarshal.AsBytes(inputs[i].AsSpan()).ToArray(), shape, 0, "?", [0f]);
            new UsageLedger(db, TimeProvider.System).Record([new UsageRequest(key, plan, prediction.Id, prediction.Id, version.ModelId, model, version.Version, [prediction], "{}")]);
            Assert.NotNull(new FeedbackStore(db, TimeProvider.System).Add(org.Id, prediction.Id, labels[i].Index, labels[i].Name, null, key.Id));
        }
        return key.Id;
    }
}
