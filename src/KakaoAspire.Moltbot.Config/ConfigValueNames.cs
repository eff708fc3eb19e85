using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Moltbot.Config;

/// <summary>The spelling each enum has in the config file, for parsing and for status output.</summary>
public static class ConfigValueNames
{
    public static readonly IReadOnlyDictionary<string, DmPolicy> DmPolicies = new Dictionary<string, DmPolicy>
    {
        ["open"] = DmPolicy.Open,
        ["allowlist"] = DmPolicy.Allowlist,
        ["disabled"] = DmPolicy.Disabled,
        ["pairing"] = DmPolicy.Pairing,
    };

    public static readonly IReadOnlyDictionary<string, ChunkMode> ChunkModes = new Dictionary<string, ChunkMode>
    {
        ["length"] = ChunkMode.Length,
        ["newline"] = ChunkMode.Newline,
    };

    public static readonly IReadOnlyDictionary<string, PhoneProvider> PhoneProviders = new Dictionary<string, PhoneProvider>
    {
        ["friendtalk-compat"] = PhoneProvider.FriendtalkCompat,
        ["brand-message"] = PhoneProvider.BrandMessage,
    };

    public static readonly IReadOnlyDictionary<string, AgentModelProvider> ModelProviders = new Dictionary<string, AgentModelProvider>
    {
        ["builtin"] = AgentModelProvider.Builtin,
        ["openai"] = AgentModelProvider.OpenAI,
        ["moltbot"] = AgentModelProvider.Moltbot,
    };

    public static readonly IReadOnlyList<string> DmScopes =
        ["main", "per-peer", "per-channel-peer", "per-account-channel-peer"];

    public static string ToConfigValue(this DmPolicy value) => Name(DmPolicies, value);

    public static string ToConfigValue(this ChunkMode value) => Name(ChunkModes, value);

    public static string ToConfigValue(this PhoneProvider value) => Name(PhoneProviders, value);

    public static string ToConfigValue(this AgentModelProvider value) => Name(ModelProviders, value);

    private static string Name<T>(IReadOnlyDictionary<string, T> names, T value)
        where T : struct, Enum =>
        names.First(pair => EqualityComparer<T>.Default.Equals(pair.Value, value)).Key;
}
