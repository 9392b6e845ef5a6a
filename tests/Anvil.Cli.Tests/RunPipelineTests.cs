using System.Text.Json;
using Anvil.Cli.Tests.Support;
using SkiaSharp;

namespace Anvil.Cli.Tests;

/// <summary>What the run pipeline promises through the CLI: data identity, metrics as served, facts taken from the data.</summary>
public class RunPipelineTests
{
    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    internal static string WriteCsv(AnvilProcess anvil, bool withMissingCell)
    {
        var csv = Path.Combine(anvil.Home, "tiny.csv");
        var rows = Enumerable.Range(0, 60).Select(i => (Class: i % 3, Value: i % 3 * 2 + (i % 5) * 0.1))
            .Select((r, i) => $"{r.Value},{-r.Value},{(withMissingCell && i == 7 ? "" : (r.Value * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture))},{new[] { "cat", "dog", "bird" }[r.Class]}");
        File.WriteAllText(csv, "f1,f2,f3,y\n" + string.Join('\n', rows) + "\n");
        return csv;
    }

    private static string DatasetHash(AnvilProcess anvil, string runId) =>
        JsonDocument.Parse(anvil.Run("runs", "show", runId, "--json").Stdout).RootElement.GetProperty("dataset_hash").GetString()!;

    [Fact]
    public void CsvWithoutAModelTrainsTheMlpAndTrainAndCvRecordTheSameDatasetHash()
    {
        using var anvil = new AnvilProcess();
        var csv = WriteCsv(anvil, withMissingCell: false);

        var train = anvil.Run("train", "--data", csv, "--label-column", "y", "--epochs", "2", "--json");
        var cv = anvil.Run("cv", "--data", csv, "--label-column", "y", "--folds", "2", "--epochs", "1", "--json");

        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.True(cv.ExitCode == 0, cv.Stderr);
        Assert.Contains("training the mlp model", train.Stderr);
        var artifacts = LastJsonLine(train.Stdout).GetProperty("artifacts_dir").GetString()!;
        Assert.Contains("\"name\": \"mlp\"", File.ReadAllText(Path.Combine(artifacts, "spec.json")));
        Assert.True(File.Exists(Path.Combine(artifacts, "csv_policy.json")), "the fitted cleaning policy is saved with the run");
        Assert.Equal(DatasetHash(anvil, LastJsonLine(train.Stdout).GetProperty("run_id").GetString()!),
            DatasetHash(anvil, LastJsonLine(cv.Stdout).GetProperty("run_id").GetString()!));

        // The test evaluation is recorded in the registry too, so the dashboard can draw it on any replica.
        using var db = Anvil.Registry.Storage.RegistryDatabase.Open(new Anvil.Registry.Storage.RegistryOptions(Path.Combine(anvil.Home, "registry.db")) { KeyEncryptionKey = () => anvil.Kek }, TimeProvider.System);
        var document = new Anvil.Registry.Runs.RunStore(db, new Anvil.Registry.AnvilHome(anvil.Home)).FindEvaluation(LastJsonLine(train.Stdout).GetProperty("run_id").GetString()!);
        using var evaluation = JsonDocument.Parse(document!);
        Assert.Equal(["bird", "cat", "dog"], evaluation.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!).Order());
        Assert.Equal(12, evaluation.RootElement.GetProperty("confusion").EnumerateArray().SelectMany(row => row.EnumerateArray()).Sum(cell => cell.GetInt64())); // 20% of 60 rows
    }

    [Fact]
    public void RecordedTestAccuracyIsSingleViewAndEvaluateLeavesTheRunsMetricsAlone()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();

        // The default recipe turns test-time augmentation on.
        var (exit, stdout, stderr) = anvil.Run("train", "--data-dir", data, "--epochs", "1", "--limit", "256", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("Evaluating (single view)", stderr);
        var trained = LastJsonLine(stdout);
        Assert.InRange(trained.GetProperty("test_accuracy_tta").GetDouble(), 0.0, 1.0);
        var runId = trained.GetProperty("run_id").GetString()!;
        var metricsPath = Path.Combine(trained.GetProperty("artifacts_dir").GetString()!, "metrics.json");
        var metricsBefore = File.ReadAllText(metricsPath);

        var evaluate = anvil.Run("evaluate", runId, "--tta", "false", "--json");

        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        var evaluated = LastJsonLine(evaluate.Stdout);
        Assert.Equal(trained.GetProperty("test_accuracy").GetDouble(), evaluated.GetProperty("test_accuracy").GetDouble(), 9);
        Assert.Equal(metricsBefore, File.ReadAllText(metricsPath));
        var recorded = JsonDocument.Parse(anvil.Run("runs", "show", runId, "--json").Stdout).RootElement.GetProperty("metrics");
        Assert.Equal(evaluated.GetProperty("test_accuracy").GetDouble(), recorded.GetProperty("test_accuracy").GetDouble(), 9);
        Assert.True(File.Exists(Path.Combine(trained.GetProperty("artifacts_dir").GetString()!, "evaluation.json")));
    }

    [Fact]
    public void MissingCellErrorNamesTheOptionAndTheOptionAcceptsIt()
    {
        using var anvil = new AnvilProcess();
        var csv = WriteCsv(anvil, withMissingCell: true);

        var refused = anvil.Run("train", "--data", csv, "--label-column", "y", "--epochs", "1");
        var accepted = anvil.Run("train", "--data", csv, "--label-column", "y", "--epochs", "1", "--missing-values", "median");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--missing-values drop-row, mean or median", refused.Stderr);
        Assert.True(accepted.ExitCode == 0, accepted.Stderr);
    }

    [Fact]
    public void GreyImageFolderTrainsOnOneChannelSkippingStrayFilesAndResizingOnRequest()
    {
        using var anvil = new AnvilProcess();
        var root = Path.Combine(anvil.Home, "images");
        for (var i = 0; i < 5; i++)
        {
            WritePng(Path.Combine(root, "dark", $"{i}.png"), 8, 8, (byte)(20 + i));
            WritePng(Path.Combine(root, "light", $"{i}.png"), 8, 8, (byte)(220 - i));
        }
        WritePng(Path.Combine(root, "light", "big.png"), 12, 12, 210);
        File.WriteAllText(Path.Combine(root, "dark", "notes.txt"), "not an image");

        var refused = anvil.Run("train", "--data", root, "--model", "mlp", "--epochs", "1");
        var (exit, stdout, stderr) = anvil.Run("train", "--data", root, "--model", "mlp", "--epochs", "1", "--resize", "8x8", "--json");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--resize 8x8", refused.Stderr);
        Assert.True(exit == 0, stderr);
        Assert.Contains("warning: skipped", stderr);
        Assert.Contains("notes.txt", stderr);
        var spec = File.ReadAllText(Path.Combine(LastJsonLine(stdout).GetProperty("artifacts_dir").GetString()!, "spec.json"));
        Assert.Contains("\"input_shape\": [\n    1,\n    8,\n    8\n  ]", spec.ReplaceLineEndings("\n"));
    }

    private static void WritePng(string path, int width, int height, byte grey)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(grey, grey, grey));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
