namespace KakaoAspire.Moltbot.Config.Tests;

public class MoltbotPathsTests
{
    [Fact]
    public void ConfigPathVariableWinsEvenWhenTheFileDoesNotExist()
    {
        using var home = new TempHome();
        home.Write(".moltbot.json", "{}");
        var env = TestConfig.Env(("MOLTBOT_CONFIG_PATH", "/nowhere/moltbot.json"));

        Assert.Equal("/nowhere/moltbot.json", MoltbotPaths.ResolveConfigPath(env, home.Path));
    }

    [Fact]
    public void HomeDotMoltbotJsonComesBeforeMoltbotsOwnDefault()
    {
        using var home = new TempHome();
        var guidePath = home.Write(".moltbot.json", "{}");
        home.Write(Path.Combine(".moltbot", "moltbot.json"), "{}");

        Assert.Equal(guidePath, MoltbotPaths.ResolveConfigPath(TestConfig.Env(), home.Path));
    }

    [Fact]
    public void MoltbotsOwnDefaultIsUsedWhenHomeDotMoltbotJsonIsMissing()
    {
        using var home = new TempHome();
        var moltbotPath = home.Write(Path.Combine(".moltbot", "moltbot.json"), "{}");

        Assert.Equal(moltbotPath, MoltbotPaths.ResolveConfigPath(TestConfig.Env(), home.Path));
    }

    [Fact]
    public void NoConfigFileResolvesToNull()
    {
        using var home = new TempHome();

        Assert.Null(MoltbotPaths.ResolveConfigPath(TestConfig.Env(), home.Path));
    }

    [Fact]
    public void StateDirectoryDefaultsToDotMoltbotAndKakaoLivesInside()
    {
        var env = TestConfig.Env();

        Assert.Equal(Path.Combine("/home/u", ".moltbot"), MoltbotPaths.StateDirectory(env, "/home/u"));
        Assert.Equal(Path.Combine("/home/u", ".moltbot", "kakao"), MoltbotPaths.KakaoStateDirectory(env, "/home/u"));
    }

    [Fact]
    public void StateDirectoryVariableOverridesTheDefault()
    {
        var env = TestConfig.Env(("MOLTBOT_STATE_DIR", "/var/lib/moltbot"));

        Assert.Equal("/var/lib/moltbot", MoltbotPaths.StateDirectory(env, "/home/u"));
        Assert.Equal(Path.Combine("/var/lib/moltbot", "kakao"), MoltbotPaths.KakaoStateDirectory(env, "/home/u"));
    }
}
