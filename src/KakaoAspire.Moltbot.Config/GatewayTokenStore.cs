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

    public static GatewayToken Resolve(MoltbotConfig config, string kakaoStateDirectory)
    {
        if (!string.IsNullOrWhiteSpace(config.Gateway.AuthToken))
        {
            return new GatewayToken(config.Gateway.AuthToken, GatewayToken.FromConfig, null);
        }

        var path = Path.Combine(kakaoStateDirectory, FileName);
        // Narrowed on every start, not only at creation: a token file copied in or left 0644 by hand is a bearer anyone can read.
        OwnerOnly.EnsureDirectory(kakaoStateDirectory);
        OwnerOnly.TightenFile(path);
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
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

        // Written in full under a unique name, then moved into place without overwrite: a reader never sees a
        // half-written file, and when two processes race the loser adopts the winner's token.
        var temp = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, OwnerOnly.CreateNewOptions()))
            {
                stream.Write(Encoding.UTF8.GetBytes(token + "\n"));
                stream.Flush(flushToDisk: true);
            }

            OwnerOnly.TightenFile(temp);
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
}
