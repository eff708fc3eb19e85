using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace KakaoAspire.Gateway.Protocol.Tests;

public class OpenClawDeviceIdentityTests
{
    [Fact]
    public void IdentityIsMadeOnceOwnerOnlyAndReadBackTheSame()
    {
        using var home = new TempDirectory();
        var state = Path.Combine(home.Path, "kakao");

        var made = OpenClawDeviceIdentity.LoadOrCreate(state);
        var read = OpenClawDeviceIdentity.LoadOrCreate(state);

        Assert.Equal((made.DeviceId, made.PublicKey), (read.DeviceId, read.PublicKey));
        var raw = Base64Url.DecodeFromChars(made.PublicKey);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(raw)), made.DeviceId);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(made.FilePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(state));
        }
    }

    [Fact]
    public void SignatureOfTheV3PayloadVerifiesWithThePublicKey()
    {
        using var home = new TempDirectory();
        var identity = OpenClawDeviceIdentity.LoadOrCreate(home.Path);
        var payload = OpenClawDeviceIdentity.PayloadV3(identity.DeviceId, "gateway-client", "backend", "operator",
            ["operator.read", "operator.write"], 1737264000000, "tok", "nonce-1", "DotNet", null);

        Assert.Equal($"v3|{identity.DeviceId}|gateway-client|backend|operator|operator.read,operator.write|1737264000000|tok|nonce-1|dotnet|", payload);
        var publicKey = NSec.Cryptography.PublicKey.Import(SignatureAlgorithm.Ed25519, Base64Url.DecodeFromChars(identity.PublicKey), KeyBlobFormat.RawPublicKey);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(payload), Base64Url.DecodeFromChars(identity.Sign(payload))));
    }

    [Fact]
    public void DeviceTokensAreKeptPerGatewayAndCanBeForgotten()
    {
        using var home = new TempDirectory();
        var identity = OpenClawDeviceIdentity.LoadOrCreate(home.Path);

        identity.SaveDeviceToken("ws://10.0.0.5:18789", "operator", "device-token-1", ["operator.read", "operator.write"]);

        Assert.Equal("device-token-1", OpenClawDeviceIdentity.LoadOrCreate(home.Path).DeviceToken("ws://10.0.0.5:18789", "operator"));
        Assert.Null(identity.DeviceToken("ws://10.0.0.6:18789", "operator"));
        identity.ForgetDeviceToken("ws://10.0.0.5:18789", "operator");
        Assert.Null(identity.DeviceToken("ws://10.0.0.5:18789", "operator"));
    }
}
