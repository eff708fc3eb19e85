using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// <c>gateway.auth.token</c>, or one generated on first start into the Kakao state folder (owner-only),
/// so the guide's configs, which set no token, still work for <c>kakao send</c> and pairing.
/// </summary>
public static class GatewayTokenStore
{
    public const string FileName = "gateway-token";

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static GatewayToken Resolve(MoltbotConfig config, string kakaoStateDirectory)
    {
        if (!string.IsNullOrWhiteSpace(config.Gateway.AuthToken))
        {
            return new GatewayToken(config.Gateway.AuthToken, GatewayToken.FromConfig, null);
        }

        var path = Path.Combine(kakaoStateDirectory, FileName);
        return new GatewayToken(ReadExisting(path) ?? Create(kakaoStateDirectory, path), GatewayToken.Generated, path);
    }

    private static string? ReadExisting(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var token = File.ReadAllText(path).Trim();
        return token.Length > 0
            ? token
            : throw new InvalidOperationException($"The gateway token file {path} is empty; delete it and a new token is generated.");
    }

    private static string Create(string directory, string path)
    {
        EnsureOwnerOnlyDirectory(directory);
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

        // Written in full under a unique name, then moved into place without overwrite: a reader never sees a
        // half-written file, and when two processes race the loser adopts the winner's token.
        var temp = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(token + "\n"));
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, OwnerOnlyFile);
            }

            File.Move(temp, path, overwrite: false);
            return token;
        }
        catch (IOException) when (File.Exists(path))
        {
            return ReadExisting(path)!;
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
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        // The umask could have narrowed the mode further; make it exactly 0700.
        File.SetUnixFileMode(directory, OwnerOnlyDirectory);
    }
}
