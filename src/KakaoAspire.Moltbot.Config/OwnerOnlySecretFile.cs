using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// A random secret in a file of the state folder, readable by the owner only: read when it exists, else generated.
/// Safe when several processes start at once (the loser of the race adopts the winner's value).
/// </summary>
internal static class OwnerOnlySecretFile
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string ReadOrCreate(string directory, string path)
    {
        EnsureOwnerOnlyDirectory(directory);
        return Read(path) ?? Create(directory, path);
    }

    public static string? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnlyFile) != 0)
        {
            // Someone widened it (or an old copy was restored); a secret others can read is no secret.
            File.SetUnixFileMode(path, OwnerOnlyFile);
        }

        var value = File.ReadAllText(path).Trim();
        return value.Length > 0
            ? value
            : throw new InvalidOperationException($"The secret file {path} is empty; delete it and a new secret is generated.");
    }

    private static string Create(string directory, string path)
    {
        var value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

        // Written in full under a unique name, then moved into place without overwrite: a reader never sees a
        // half-written file, and when two processes race the loser adopts the winner's value.
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(value + "\n"));
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, OwnerOnlyFile);
            }

            File.Move(temp, path, overwrite: false);
            return value;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Read(path)!;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static void EnsureOwnerOnlyDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }

        // The umask could have narrowed a new folder further, an old one may be wider; make it exactly 0700.
        if (File.GetUnixFileMode(directory) != OwnerOnlyDirectory)
        {
            File.SetUnixFileMode(directory, OwnerOnlyDirectory);
        }
    }
}
