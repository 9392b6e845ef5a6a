using Anvil.Registry.Privacy;

namespace Anvil.Registry.Tests.Privacy;

/// <summary>An export is written only into a new or empty directory, owner-only, and its index holds every file's SHA-256.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ExportDirectoryTests
{
    [Fact]
    public void AFileALinkOrANonEmptyDirectoryIsRefusedWithOneLine()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "file");
        File.WriteAllText(file, "x");
        var full = Directory.CreateDirectory(Path.Combine(temp.Path, "full")).FullName;
        File.WriteAllText(Path.Combine(full, "keep.txt"), "mine");
        var link = Path.Combine(temp.Path, "link");
        Directory.CreateSymbolicLink(link, Directory.CreateDirectory(Path.Combine(temp.Path, "empty-target")).FullName);

        Assert.Contains("is a file", Assert.Throws<RegistryException>(() => ExportDirectory.Create(file)).Message, StringComparison.Ordinal);
        Assert.Contains("is not empty", Assert.Throws<RegistryException>(() => ExportDirectory.Create(full)).Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", Assert.Throws<RegistryException>(() => ExportDirectory.Create(link)).Message, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(full, "keep.txt")));
    }

    [Fact]
    public void ANewDirectoryIsOwnerOnlyAndItsIndexHashesEveryFile()
    {
        using var temp = new TempDirectory();
        var directory = ExportDirectory.Create(Path.Combine(temp.Path, "new", "export"));
        directory.Write("a.txt", "abc"u8.ToArray());
        directory.Write("files/m/v1/model.onnx", [1, 2, 3]);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory.Root));
        Assert.Equal(
            [
                new ExportedFile("a.txt", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 3), // SHA-256("abc"), FIPS 180-2 example
                new ExportedFile("files/m/v1/model.onnx", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 1, 2, 3 })), 3),
            ],
            directory.Index());
        Assert.Throws<IOException>(() => directory.Write("a.txt", [0])); // never overwritten
    }
}
