using System.Text;

namespace Anvil.Training.Runs;

/// <summary>
/// Default run names people can read and type: the model and the data set's own name, never a path.
/// <code>RunNames.Default("mlp", "/data/2026/iris.csv") == "mlp-iris"</code>
/// </summary>
public static class RunNames
{
    public static string Default(string model, string data, string? prefix = null)
    {
        var name = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(data));
        var words = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            var keep = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (keep != '-' || (words.Length > 0 && words[^1] != '-'))
                words.Append(keep);
        }

        var dataName = words.ToString().Trim('-');
        var parts = new[] { prefix, model, dataName.Length == 0 ? "data" : dataName };
        return string.Join('-', parts.Where(part => !string.IsNullOrEmpty(part)));
    }
}
