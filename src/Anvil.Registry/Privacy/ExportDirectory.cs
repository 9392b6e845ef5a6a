using System.Security.Cryptography;
using System.Text.Json;

namespace Anvil.Registry.Privacy;

/// <summary>
/// The folder an export is written to: new or empty, never a file or a symbolic link, owner-only (0700, files 0600),
/// every file created new. <see cref="Index"/> lists each file with its SHA-256 so the copy can be checked later.
/// </summary>
internal sealed class ExportDirectory
{
    public const string IndexFile = "export.json";

    private readonly bool _created;

    private ExportDirectory(string root, bool created) => (Root, _created) = (root, created);

    public string Root { get; }

    /// <summary>Creates <paramref name="path"/> (or takes it when it is an empty directory); anything else is a <see cref="RegistryException"/>.</summary>
    public static ExportDirectory Create(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var info = new DirectoryInfo(full);
        if (new FileInfo(full).LinkTarget is not null) // a link, dangling or not, whatever it points at
            throw new RegistryException($"--out {full} is a symbolic link; give a new directory instead.");
        if (File.Exists(full))
            throw new RegistryException($"--out {full} is a file; give a new or empty directory instead.");
        if (info.Exists && info.EnumerateFileSystemInfos().Any())
            throw new RegistryException($"--out {full} already exists and is not empty; give a new or empty directory so nothing is overwritten.");
        PrivateFiles.CreateDirectory(full);
        PrivateFiles.Restrict(full);
        return new ExportDirectory(full, created: !info.Exists);
    }

    /// <summary>Removes what the export wrote (and the directory, when the export created it): a failed export leaves nothing half-written.</summary>
    public void Discard()
    {
        foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo folder)
                folder.Delete(recursive: true);
            else
                entry.Delete();
        }

        if (_created)
            Directory.Delete(Root);
    }

    /// <summary>A new file at <paramref name="relativePath"/> ('/'-separated, built by the exporter), with its folders.</summary>
    public FileStream CreateFile(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, PrivateFiles.CreateNew());
    }

    public void Write(string relativePath, byte[] bytes)
    {
        using var stream = CreateFile(relativePath);
        stream.Write(bytes);
    }

    public void WriteJson<T>(string relativePath, T value, JsonSerializerOptions options)
    {
        using var stream = CreateFile(relativePath);
        JsonSerializer.Serialize(stream, value, options);
    }

    /// <summary>Every file written so far (the index itself aside), by path, with its SHA-256 and size as on disk now.</summary>
    public IReadOnlyList<ExportedFile> Index() => Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'))
        .Where(name => name != IndexFile)
        .Order(StringComparer.Ordinal)
        .Select(name =>
        {
            using var stream = File.OpenRead(Path.Combine(Root, name));
            return new ExportedFile(name, Convert.ToHexStringLower(SHA256.HashData(stream)), stream.Length);
        })
        .ToList();
}
