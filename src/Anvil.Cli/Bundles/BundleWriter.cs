using Anvil.Registry;
using Anvil.Registry.Models;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Bundles;

/// <summary>
/// Writes an edge bundle: a folder that runs a registered version without Anvil — the verified model.onnx (and
/// the int8 version compressed from it), its signed manifest, the public key that verifies it, and snippets
/// for ONNX Runtime in C#, Python and JavaScript that check the signature and every file's digest before they
/// load the model, and print what the server would answer.
/// <code>
/// out/ model.onnx manifest.json manifest.sig manifest-signing.pub.pem README.md input.example.json [vocab.txt]
///      int8/{model.onnx,manifest.json,manifest.sig}   (with --int8)
///      csharp/{Predict.csproj,Program.cs}  python/predict.py  js/{package.json,predict.mjs}
/// </code>
/// </summary>
internal static class BundleWriter
{
    public const string PublicKeyFile = "manifest-signing.pub.pem";
    public const string Int8Folder = "int8";

    public static IReadOnlyList<string> Write(VerifiedModelVersion version, ModelVersion entry, VerifiedModelVersion? int8, string publicKeyPem, string output, bool force)
    {
        CheckOutput(output, force);
        var kind = version.Manifest.Preprocessing.Kind;
        if (kind is not ("image" or "features" or "series" or "tokens"))
            throw new ArgumentException($"Model '{entry.ModelName}' version {entry.Version} takes {kind}; bundles run models that take images, feature vectors, series windows or texts. Serve it with ./anvil serve instead.");
        var written = new List<string>();
        Directory.CreateDirectory(output);
        CopyVerified(version, output, written);
        if (int8 is not null)
            CopyVerified(int8, Path.Combine(output, Int8Folder), written);
        Text(output, PublicKeyFile, publicKeyPem, written);
        Text(output, "input.example.json", BundleSnippets.ExampleInput(version.Manifest), written);
        Text(output, "README.md", BundleReadme.For(version.Manifest, entry, int8 is not null), written);
        foreach (var (path, content) in BundleSnippets.Files())
            Text(output, path, content, written);
        return written;
    }

    private static void CheckOutput(string output, bool force)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        if (File.Exists(output))
            throw new ArgumentException($"--out '{output}' is a file; give a folder (it is created when missing).");
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any() && !force)
            throw new ArgumentException($"--out '{output}' exists and is not empty; give an empty or new folder, or --force to overwrite the bundle's files in it.");
    }

    /// <summary>
    /// The signed files byte for byte: the manifest, its signature, the ONNX graph and a text model's vocabulary
    /// (each read once and checked against the manifest).
    /// </summary>
    private static void CopyVerified(VerifiedModelVersion version, string folder, List<string> written)
    {
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { ModelVersionFiles.ManifestFile, ModelVersionFiles.SignatureFile })
        {
            File.Copy(Path.Combine(version.Directory, name), Path.Combine(folder, name), overwrite: true);
            written.Add(Path.Combine(folder, name));
        }

        File.WriteAllBytes(Path.Combine(folder, ModelVersionFiles.OnnxFile), version.ReadOnnx());
        written.Add(Path.Combine(folder, ModelVersionFiles.OnnxFile));
        if (version.Manifest.Preprocessing.Tokenizer is { Vocabulary: var vocabulary })
        {
            File.WriteAllBytes(Path.Combine(folder, vocabulary), ModelVersionFiles.ReadVerified(version, vocabulary));
            written.Add(Path.Combine(folder, vocabulary));
        }
    }

    private static void Text(string root, string relative, string content, List<string> written)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        written.Add(path);
    }
}
