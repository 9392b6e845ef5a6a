using System.Net;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>Finite but huge inputs (±3e38) overflow the graph: a 422 that says so, counted in the minute window and not billed; never a 500.</summary>
public sealed class HugeInputTests : ServedModelTest
{
    [Fact]
    public async Task NonFiniteOutputsAreA422ThatIsCountedButNotBilled()
    {
        Host.AddVersion(Host.Acme, name: "overflowing", spec: ServingHost.OverflowingSpec());
        var values = string.Join(",", Enumerable.Range(0, 784).Select(i => i % 2 == 0 ? "3.0e38" : "-3.0e38"));

        using var response = await Requests.PredictAsync(Client, Requests.RawJson($"{{\"inputs\": [[{values}]]}}"), model: "overflowing");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("too large", await Requests.DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(0, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }

    [Theory]
    [InlineData("3.0e38", "-3.0e38")]
    [InlineData("3.0e38", "3.0e38")]
    [InlineData("-3.0e38", "-3.0e38")]
    [InlineData("3.4028234e38", "0")]
    public async Task HugeInputsGetA422OrAnAnswerNeverA500(string even, string odd)
    {
        var values = string.Join(",", Enumerable.Range(0, 784).Select(i => i % 2 == 0 ? even : odd));
        using var response = await Requests.PredictAsync(Client, Requests.RawJson($"{{\"inputs\": [[{values}]]}}"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity });
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            Assert.Contains("too large", body, StringComparison.Ordinal);
            Assert.Equal(0, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
        }
    }
}
