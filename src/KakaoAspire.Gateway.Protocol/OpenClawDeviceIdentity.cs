using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;

namespace KakaoAspire.Gateway.Protocol;

/// <summary>
/// This channel's device identity towards an OpenClaw gateway: an Ed25519 key pair kept owner-only in the Kakao state
/// folder (<see cref="FileName"/>), and the device tokens gateways issued after <c>openclaw devices approve</c>.
/// A gateway admits an operator from another host with scopes only when it signs the <c>connect.challenge</c>
/// (OpenClaw's docs/gateway/protocol/auth.md): device id = sha256 hex of the raw public key, public key and signature
/// in unpadded base64url, over the "v3" payload.
/// </summary>
public sealed class OpenClawDeviceIdentity
{
    public const string FileName = "openclaw-device.json";

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private static readonly Lock FileLock = new();

    private readonly byte[] _privateKey;

    private OpenClawDeviceIdentity(string path, byte[] privateKey, byte[] publicKey)
    {
        FilePath = path;
        _privateKey = privateKey;
        PublicKey = Base64Url.EncodeToString(publicKey);
        DeviceId = Convert.ToHexStringLower(SHA256.HashData(publicKey));
    }

    public string FilePath { get; }

    /// <summary>sha256 hex of the raw 32-byte public key, as the gateway derives it.</summary>
    public string DeviceId { get; }

    /// <summary>The raw public key, unpadded base64url.</summary>
    public string PublicKey { get; }

    /// <summary>Reads the identity in <paramref name="kakaoStateDirectory"/>, creating it (owner-only) on first use.</summary>
    public static OpenClawDeviceIdentity LoadOrCreate(string kakaoStateDirectory)
    {
        var path = Path.Combine(kakaoStateDirectory, FileName);
        lock (FileLock)
        {
            if (Read(path) is { } existing)
            {
                return existing;
            }

            using var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            var privateKey = key.Export(KeyBlobFormat.RawPrivateKey);
            var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
            var identity = new OpenClawDeviceIdentity(path, privateKey, publicKey);
            Write(path, new JsonObject
            {
                ["version"] = 1,
                ["deviceId"] = identity.DeviceId,
                ["publicKey"] = identity.PublicKey,
                ["privateKey"] = Base64Url.EncodeToString(privateKey),
                ["deviceTokens"] = new JsonObject(),
            });
            return identity;
        }
    }

    /// <summary>The gateway's sign-in payload (OpenClaw's <c>buildDeviceAuthPayloadV3</c>): fields joined with "|".</summary>
    public static string PayloadV3(string deviceId, string clientId, string clientMode, string role, IEnumerable<string> scopes,
        long signedAtMs, string? token, string nonce, string platform, string? deviceFamily) =>
        string.Join('|',
            "v3", deviceId, clientId, clientMode, role, string.Join(',', scopes), signedAtMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            token ?? "", nonce, LowerAscii(platform), LowerAscii(deviceFamily));

    /// <summary>Ed25519 signature of the UTF-8 payload, unpadded base64url.</summary>
    public string Sign(string payload)
    {
        using var key = Key.Import(Algorithm, _privateKey, KeyBlobFormat.RawPrivateKey);
        return Base64Url.EncodeToString(Algorithm.Sign(key, Encoding.UTF8.GetBytes(payload)));
    }

    /// <summary>The device token a gateway issued for this device and role, or null before the device was approved.</summary>
    public string? DeviceToken(string gateway, string role)
    {
        lock (FileLock)
        {
            var root = ReadJson(FilePath);
            return root?["deviceTokens"]?[TokenKey(gateway, role)]?["token"]?.GetValue<string>();
        }
    }

    /// <summary>Keeps a newly issued device token (with its scopes) for the next connects; the same token is not rewritten.</summary>
    public void SaveDeviceToken(string gateway, string role, string token, IReadOnlyList<string> scopes)
    {
        lock (FileLock)
        {
            var root = ReadJson(FilePath) ?? throw new InvalidOperationException($"The device identity file {FilePath} disappeared.");
            var tokens = root["deviceTokens"] as JsonObject ?? [];
            root["deviceTokens"] = tokens;
            var key = TokenKey(gateway, role);
            if (tokens[key]?["token"]?.GetValue<string>() == token)
            {
                return;
            }
            tokens[key] = new JsonObject
            {
                ["token"] = token,
                ["scopes"] = new JsonArray(scopes.Select(s => (JsonNode)s!).ToArray()),
                ["savedAt"] = DateTimeOffset.UtcNow.ToString("O"),
            };
            Write(FilePath, root);
        }
    }

    /// <summary>Forgets a device token the gateway no longer accepts (revoked or rotated); the key pair stays.</summary>
    public void ForgetDeviceToken(string gateway, string role)
    {
        lock (FileLock)
        {
            if (ReadJson(FilePath) is { } root && root["deviceTokens"] is JsonObject tokens && tokens.Remove(TokenKey(gateway, role)))
            {
                Write(FilePath, root);
            }
        }
    }

    private static string TokenKey(string gateway, string role) => $"{role} {gateway}";

    private static string LowerAscii(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "" : string.Concat(value.Trim().Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c));

    private static OpenClawDeviceIdentity? Read(string path)
    {
        if (ReadJson(path) is not { } root)
        {
            return null;
        }
        try
        {
            var privateKey = Base64Url.DecodeFromChars(root["privateKey"]!.GetValue<string>());
            using var key = Key.Import(Algorithm, privateKey, KeyBlobFormat.RawPrivateKey);
            return new OpenClawDeviceIdentity(path, privateKey, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        }
        catch (Exception ex) when (ex is NullReferenceException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"The OpenClaw device identity {path} is damaged ({ex.GetType().Name}); delete it to create a new one, then approve the new device once with 'openclaw devices approve'.", ex);
        }
    }

    private static JsonObject? ReadJson(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException(
                $"The OpenClaw device identity {path} is not valid JSON; delete it to create a new one, then approve the new device once with 'openclaw devices approve'.", ex);
        }
    }

    // Written to a temp file first, owner-only from the start, then moved over: a reader never sees half a key.
    private static void Write(string path, JsonObject root)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
        var temp = Path.Combine(directory, $".{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        File.Move(temp, path, overwrite: true);
    }
}
