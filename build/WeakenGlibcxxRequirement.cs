using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks the GLIBCXX_3.4.32 version requirement of an ELF64 shared library weak, so that a
/// libstdc++ older than GCC 13 can load it. Does nothing when the system already has 3.4.32
/// or when the requirement is already weak or absent.
/// </summary>
public sealed class WeakenGlibcxxRequirement : Task
{
    private const string Version = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        if (SystemHasVersion())
        {
            Log.LogMessage(MessageImportance.Low, $"libstdc++ provides {Version}; libLibTorchSharp.so left as shipped.");
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                if (Patch(path))
                    Log.LogMessage(MessageImportance.High, $"Anvil: marked {Version} weak in {path} (libstdc++ here is older than GCC 13).");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
            {
                Log.LogError($"Anvil: could not patch {path}: {e.Message}. TorchSharp will not load on this system; see docs/decisions/0001-torchsharp-on-debian-12.md.");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static bool SystemHasVersion()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(Version + "\0");
        foreach (var candidate in candidates.Where(File.Exists))
        {
            if (Contains(File.ReadAllBytes(candidate), needle))
                return true;
        }
        return false;
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (var i = Array.IndexOf(haystack, needle[0]); i >= 0 && i <= haystack.Length - needle.Length; i = Array.IndexOf(haystack, needle[0], i + 1))
        {
            var j = 1;
            while (j < needle.Length && haystack[i + j] == needle[j])
                j++;
            if (j == needle.Length)
                return true;
        }
        return false;
    }

    /// <returns>true when the file was changed.</returns>
    private static bool Patch(string path)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        var shoff = checked((int)BitConverter.ToUInt64(b, 0x28));
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        for (var i = 0; i < shnum; i++)
        {
            var sh = checked(shoff + i * shentsize);
            if (BitConverter.ToUInt32(b, sh + 4) != ShtGnuVerneed)
                continue;
            var verneedOffset = checked((int)BitConverter.ToUInt64(b, sh + 0x18));
            var link = (int)BitConverter.ToUInt32(b, sh + 0x28);
            var strtab = checked((int)BitConverter.ToUInt64(b, checked(shoff + link * shentsize) + 0x18));
            var changed = false;
            for (var vn = verneedOffset; ;)
            {
                int count = BitConverter.ToUInt16(b, vn + 2);
                var aux = vn + (int)BitConverter.ToUInt32(b, vn + 8);
                for (var k = 0; k < count; k++)
                {
                    var nameOffset = strtab + (int)BitConverter.ToUInt32(b, aux + 8);
                    var end = Array.IndexOf(b, (byte)0, nameOffset);
                    var flags = BitConverter.ToUInt16(b, aux + 4);
                    if (Encoding.ASCII.GetString(b, nameOffset, end - nameOffset) == Version && (flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(b, aux + 4);
                        changed = true;
                    }
                    aux += (int)BitConverter.ToUInt32(b, aux + 12);
                }
                var next = (int)BitConverter.ToUInt32(b, vn + 12);
                if (next == 0)
                    break;
                vn += next;
            }
            if (!changed)
                return false;
            // Write a new file and move it over, so a hard link into the NuGet cache is never modified.
            var temp = path + ".anvil-tmp";
            File.WriteAllBytes(temp, b);
            File.Delete(path);
            File.Move(temp, path);
            return true;
        }
        return false;
    }
}
