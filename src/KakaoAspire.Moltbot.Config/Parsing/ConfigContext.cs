using System.Globalization;
using System.Text.Json;

namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>
/// Collects every error and warning of one load, and reads typed values with <c>${VAR}</c> substitution.
/// Substitution happens only here, i.e. only in values we actually read: a Moltbot section we ignore may
/// reference a variable that is unset in our process without failing our load.
/// </summary>
internal sealed class ConfigContext(Func<string, string?> environment)
{
    private readonly List<ConfigError> _errors = [];

    public List<string> Warnings { get; } = [];

    public Func<string, string?> Environment { get; } = environment;

    public IReadOnlyList<ConfigError> Errors => _errors.Distinct().ToList();

    public void Error(string path, string message) => _errors.Add(new ConfigError(path, message));

    public static string Join(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    /// <summary>An object, or null with an error for any other kind (JSON null and absent are silently null).</summary>
    public JsonElement? Object(JsonElement? value, string path)
    {
        if (value is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            return element;
        }

        TypeError(path, "an object", element);
        return null;
    }

    public static JsonElement? Property(JsonElement? obj, string name) =>
        obj is { ValueKind: JsonValueKind.Object } element && element.TryGetProperty(name, out var value) ? value : null;

    public string? String(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return Substitute(value.GetString()!, path);
            default:
                TypeError(path, "a string", value);
                return null;
        }
    }

    public int? Int(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number when value.TryGetInt32(out var number):
                return number;
            // A string that is an integer lets "${KAKAO_WEBHOOK_PORT}" be used for numbers.
            case JsonValueKind.String when int.TryParse(
                Substitute(value.GetString()!, path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                TypeError(path, "an integer", value);
                return null;
        }
    }

    public bool? Bool(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                TypeError(path, "true or false", value);
                return null;
        }
    }

    /// <summary>An array of strings (numbers accepted as ids, as Moltbot does for allowFrom).</summary>
    public IReadOnlyList<string>? StringList(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            TypeError(path, "an array of strings", value);
            return null;
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            var text = item.ValueKind == JsonValueKind.Number ? item.GetRawText() : String(item, itemPath);
            if (item.ValueKind == JsonValueKind.Null)
            {
                TypeError(itemPath, "a string", item);
            }
            else if (text is not null)
            {
                items.Add(text.Trim());
            }
        }

        return items;
    }

    public void TypeError(string path, string expected, JsonElement actual) =>
        Error(path, $"expected {expected}, got {Describe(actual)}");

    private string Substitute(string raw, string path) =>
        EnvSubstitution.Substitute(raw, Environment, name => Error(path, EnvSubstitution.MissingMessage(name, path)));

    // String values are not echoed: a misplaced value may be a secret.
    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString(),
    };
}
