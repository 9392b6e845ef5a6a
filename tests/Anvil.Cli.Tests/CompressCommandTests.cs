using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>`anvil compress` on runs trained at --limit scale: the int8 file beside the run, figures of both models, one-line errors.</summary>
public class CompressCommandTests
{
    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    [Theory]
    [InlineData("int8-static")]
    [InlineData("int8-dynamic")]
    public void CompressWritesTheInt8ModelBesideTheRunAndReportsBothModels(string method)
    {
        using var anvil = new AnvilProcess();
        var train = anvil.Run("train", "--data-dir", anvil.SampleFashionMnist(), "--epochs", "1", "--limit", "256", "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var runId = LastJsonLine(train.Stdout).GetProperty("run_id").GetString()!;

        var (exit, stdout, stderr) = anvil.Run("compress", runId[..8], "--method", method, "--calibration", "32", "--json");

        Assert.True(exit == 0, stderr);
        var json = LastJsonLine(stdout);
        Assert.Equal(method, json.GetProperty("method").GetString());
        var path = json.GetProperty("path").GetString()!;
        Assert.Equal(Path.Combine(LastJsonLine(train.Stdout).GetProperty("artifacts_dir").GetString()!, $"model.{method}.onnx"), path);
        Assert.Equal(new FileInfo(path).Length, json.GetProperty("bytes").GetInt64());
        Assert.True(json.GetProperty("bytes").GetInt64() * 3 < json.GetProperty("source_bytes").GetInt64(), stdout); // int8 weights: about a quarter
        Assert.InRange(json.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.InRange(json.GetProperty("source_accuracy").GetDouble(), 0, 1);
        foreach (var latency in new[] { "source_latency_ms_b1", "latency_ms_b1", "source_latency_ms_b32", "latency_ms_b32" })
            Assert.True(json.GetProperty(latency).GetDouble() > 0, latency);
        Assert.Contains("CPU flags:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void CompressWithBadInputIsAOneLineError()
    {
        using var anvil = new AnvilProcess();
        var series = anvil.Run("train", "--recipe", SeriesForecastTests.WriteRecipe(anvil, epochs: 1), "--json");
        Assert.True(series.ExitCode == 0, series.Stderr);
        var forecaster = LastJsonLine(series.Stdout).GetProperty("run_id").GetString()!;

        BadInputTests.AssertOneClearError(anvil.Run("compress", "0123456789", "--method", "int8-dynamic"), "No run has an id starting with '0123456789'");
        BadInputTests.AssertOneClearError(anvil.Run("compress", forecaster, "--method", "int8-static", "--calibration", "0"), "--calibration 0", "N ≥ 1");
        BadInputTests.AssertOneClearError(anvil.Run("compress", forecaster, "--method", "int8-dynamic"), "is a regressor", "image and feature classifiers only");
    }
}
