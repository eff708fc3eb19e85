using System.Security.Cryptography;

namespace KakaoAspire.Webhook.Pairing;

/// <summary>Moltbot's pairing code: 8 characters without the look-alikes 0/O/1/I.</summary>
public static class PairingCode
{
    public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public const int Length = 8;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    public static string Normalize(string code) => code.Trim().ToUpperInvariant();
}
