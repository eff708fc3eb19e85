namespace KakaoAspire.Moltbot.Config.Tests;

/// <summary>Parses config text with a fake environment, the way every test here needs it.</summary>
internal static class TestConfig
{
    public const string SourcePath = "/home/user/.moltbot.json";

    public static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => (string?)v.Value);
        return name => map.GetValueOrDefault(name);
    }

    public static MoltbotConfig Parse(string json, params (string Name, string Value)[] env) =>
        MoltbotConfigLoader.Parse(json, SourcePath, Env(env));

    public static MoltbotConfigException Fails(string json, params (string Name, string Value)[] env) =>
        Assert.Throws<MoltbotConfigException>(() => Parse(json, env));

    /// <summary>The single error at <paramref name="path"/>; fails when there is none.</summary>
    public static ConfigError ErrorAt(MoltbotConfigException exception, string path) =>
        Assert.Single(exception.Errors, e => e.Path == path);

    /// <summary>A config whose only account is "default" with the given JSON members.</summary>
    public static string Account(string members) =>
        $$"""{ "channels": { "kakao": { "accounts": { "default": { {{members}} } } } } }""";

    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
