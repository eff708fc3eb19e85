using System.Text.RegularExpressions;

namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>
/// Moltbot's <c>${VAR}</c> rule (docs/moltbot-channel-rules.md#environment-substitution): only upper-case names are references, <c>$${VAR}</c> is a
/// literal <c>${VAR}</c>, and a missing or empty variable is an error.
/// </summary>
internal static partial class EnvSubstitution
{
    // The escaped form comes first so "$${X}" is never read as "$" followed by a reference.
    [GeneratedRegex(@"\$\$\{(?<escaped>[A-Z_][A-Z0-9_]*)\}|\$\{(?<name>[A-Z_][A-Z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    public static string Substitute(string value, Func<string, string?> environment, Action<string> onMissing)
    {
        if (!value.Contains('$'))
        {
            return value;
        }

        return Reference().Replace(value, match =>
        {
            var escaped = match.Groups["escaped"];
            if (escaped.Success)
            {
                return "${" + escaped.Value + "}";
            }

            var name = match.Groups["name"].Value;
            var resolved = environment(name);
            if (string.IsNullOrEmpty(resolved))
            {
                onMissing(name);
                return match.Value;
            }

            return resolved;
        });
    }

    public static string MissingMessage(string name, string path) =>
        $"Missing env var \"{name}\" referenced at config path: {path}";
}
