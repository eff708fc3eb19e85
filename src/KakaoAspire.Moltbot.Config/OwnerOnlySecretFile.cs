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
    /// <summary>The secret in <paramref name="path"/>; <paramref name="what"/> names it in errors ("secret", "gateway token").</summary>
    public static string ReadOrCreate(string directory, string path, string what = "secret")
    {
        // Narrowed on every start, not only at creation: a file copied in or left 0644 by hand is a secret anyone can read.
        OwnerOnly.EnsureDirectory(directory);
        OwnerOnly.TightenFile(path);
        return Read(path, what) ?? Create(directory, path, what);
    }

    private static string? Read(string path, string what)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var value = File.ReadAllText(path).Trim();
        return value.Length > 0
            ? value
            : throw new InvalidOperationException($"The {what} file {path} is empty; delete it and a new {what} is generated.");
    }

    private static string Create(string directory, string path, string what)
    {
        var value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

        // Written in full under a unique name, then moved into place without overwrite: a reader never sees a
        // half-written file, and when two processes race the loser adopts the winner's value.
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, OwnerOnly.CreateNewOptions()))
            {
                stream.Write(Encoding.UTF8.GetBytes(value + "\n"));
                stream.Flush(flushToDisk: true);
            }

            OwnerOnly.TightenFile(temp);
            File.Move(temp, path, overwrite: false);
            return value;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Read(path, what)!;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
