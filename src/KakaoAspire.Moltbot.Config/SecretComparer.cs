using System.Security.Cryptography;
using System.Text;

namespace KakaoAspire.Moltbot.Config;

/// <summary>Compares secrets (tokens, webhook secrets) in constant time, so timing reveals nothing of them.</summary>
public static class SecretComparer
{
    public static bool AreEqual(string? presented, string? expected)
    {
        if (presented is null || expected is null)
        {
            return false;
        }
        // Hashing first makes both inputs the same length, so the comparison time does not depend on the length.
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    /// <summary>True when an Authorization header value is "Bearer &lt;token&gt;" for the expected token.</summary>
    public static bool IsBearer(string? authorizationHeader, string expectedToken)
    {
        const string prefix = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return AreEqual(authorizationHeader[prefix.Length..].Trim(), expectedToken);
    }
}
