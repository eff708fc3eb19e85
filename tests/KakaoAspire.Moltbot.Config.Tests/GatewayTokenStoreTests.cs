namespace KakaoAspire.Moltbot.Config.Tests;

public class GatewayTokenStoreTests
{
    [Fact]
    public void ConfiguredTokenWinsAndNothingIsWritten()
    {
        using var home = new TempHome();
        var stateDir = Path.Combine(home.Path, ".moltbot", "kakao");
        var config = TestConfig.Parse("""{ "gateway": { "auth": { "token": "from-config" } } }""");

        var token = GatewayTokenStore.Resolve(config, stateDir);

        Assert.Equal(("from-config", "config", (string?)null), (token.Value, token.Source, token.FilePath));
        Assert.False(Directory.Exists(stateDir));
    }

    [Fact]
    public void WithoutAConfiguredTokenOneIsGeneratedOwnerOnlyAndStableAcrossCalls()
    {
        using var home = new TempHome();
        var stateDir = Path.Combine(home.Path, ".moltbot", "kakao");
        var config = TestConfig.Parse("{}");

        var first = GatewayTokenStore.Resolve(config, stateDir);
        var second = GatewayTokenStore.Resolve(config, stateDir);

        Assert.Equal("generated", first.Source);
        Assert.Equal(Path.Combine(stateDir, "gateway-token"), first.FilePath);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal(43, first.Value.Length); // 32 bytes, base64url without padding
        Assert.DoesNotContain('=', first.Value);
        Assert.Equal(first.Value, File.ReadAllText(first.FilePath!).Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.FilePath!));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(stateDir));
        }

        Assert.Single(Directory.GetFiles(stateDir));
    }

    [Fact]
    public async Task RacingProcessesAllEndWithTheSameToken()
    {
        using var home = new TempHome();
        var stateDir = Path.Combine(home.Path, "kakao");
        var config = TestConfig.Parse("{}");

        var tokens = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => GatewayTokenStore.Resolve(config, stateDir).Value)));

        Assert.Single(tokens.Distinct());
        Assert.Single(Directory.GetFiles(stateDir));
    }

    [Fact]
    public void ToStringNeverShowsTheToken()
    {
        using var home = new TempHome();
        var token = GatewayTokenStore.Resolve(TestConfig.Parse("{}"), Path.Combine(home.Path, "kakao"));

        Assert.DoesNotContain(token.Value, token.ToString());
        Assert.Contains("generated", token.ToString());
    }
}
