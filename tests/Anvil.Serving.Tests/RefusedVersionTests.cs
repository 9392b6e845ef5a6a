using System.Net;
using Anvil.Serving.Inference;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>A version that fails verification is refused for a while without re-hashing its files on every request.</summary>
public sealed class RefusedVersionTests : ServedModelTest
{
    [Fact]
    public async Task AFailedVerificationIsKeptForTheBackoffThenCheckedAgain()
    {
        var second = Host.AddVersion(Host.Acme, seed: 2); // no alias: loaded only when asked for
        var path = Path.Combine(second.Directory, "model.onnx");
        var original = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, [.. original, .. "tampered"u8.ToArray()]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?version=2")).StatusCode);

        await File.WriteAllBytesAsync(path, original); // repaired, but the refusal stands until the backoff ends
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?version=2")).StatusCode);

        Host.Time.Advance(ModelRouter.RefusalBackoff + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?version=2")).StatusCode);
    }
}
