using System.Text.Json;
using System.Text.RegularExpressions;
using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>Reads and validates one merged account; every problem goes to the context and the default is kept.</summary>
internal sealed partial class KakaoAccountBuilder(
    ConfigContext context,
    IReadOnlyDictionary<string, ConfigField> fields,
    IReadOnlyDictionary<string, ConfigField> outbound)
{
    // RFC 9110 token characters: what an HTTP header name may contain.
    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")]
    private static partial Regex HeaderToken();

    [GeneratedRegex(@"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex NightWindowFormat();

    public KakaoAccountConfig Build(string id, bool enabled) => new()
    {
        Id = id,
        Enabled = enabled,
        Name = OptionalString("name"),
        AdminKey = OptionalString("adminKey"),
        AppKey = OptionalString("appKey"),
        ChannelId = OptionalString("channelId"),
        BotId = OptionalString("botId"),
        SenderKey = OptionalString("senderKey"),
        ToastAppKey = OptionalString("toastAppKey"),
        ToastSecretKey = OptionalString("toastSecretKey"),
        WebhookPort = IntInRange("webhookPort", KakaoAccountConfig.DefaultWebhookPort, 1, 65535,
            "use a free TCP port such as 8788"),
        WebhookPath = WebhookPath(),
        WebhookSecret = OptionalString("webhookSecret"),
        WebhookSecretHeader = WebhookSecretHeader(),
        AllowUnauthenticatedWebhook = AllowUnauthenticatedWebhook(),
        DmPolicy = Choice("dmPolicy", ConfigValueNames.DmPolicies, DmPolicy.Open),
        AllowFrom = StringList("allowFrom") ?? [],
        DeniedText = RequiredText("deniedText", KakaoAccountConfig.DefaultDeniedText),
        EmptyReplyText = RequiredText("emptyReplyText", KakaoAccountConfig.DefaultEmptyReplyText),
        TextChunkLimit = IntInRange("textChunkLimit", KakaoAccountConfig.DefaultTextChunkLimit, 1, 1000,
            "Kakao shows at most 1000 characters per text bubble; use 1000 or less"),
        ChunkMode = Choice("chunkMode", ConfigValueNames.ChunkModes, ChunkMode.Length),
        TimeoutSeconds = IntInRange("timeoutSeconds", KakaoAccountConfig.DefaultTimeoutSeconds, 1, 600,
            "this is the agent's turn budget; the guide's default is 30"),
        ReplyDeadlineMs = IntInRange("replyDeadlineMs", KakaoAccountConfig.DefaultReplyDeadlineMs, 500, 4500,
            "Kakao gives up on a skill after 5 s, so the inline reply must leave before that; use 4000"),
        CallbackAllowedHosts = CallbackAllowedHosts(),
        DedupeWindowSeconds = IntInRange("dedupeWindowSeconds", KakaoAccountConfig.DefaultDedupeWindowSeconds, 0, 3600,
            "use 0 to turn deduplication off, or a few seconds such as 3"),
        UserRateLimitPerMinute = IntInRange("userRateLimitPerMinute", KakaoAccountConfig.DefaultUserRateLimitPerMinute, 0, 600,
            "agent turns one user may start per minute; use 0 for no limit, or about 20"),
        UserRateLimitBurst = IntInRange("userRateLimitBurst", KakaoAccountConfig.DefaultUserRateLimitBurst, 1, 100,
            "turns one user may start at once before the per-minute pace applies; use about 10"),
        Outbound = BuildOutbound(),
    };

    public string PathOf(string key, string fallbackParent) =>
        fields.TryGetValue(key, out var field) ? field.Path : ConfigContext.Join(fallbackParent, key);

    private OutboundConfig BuildOutbound()
    {
        var section = new Section(context, outbound);
        return new OutboundConfig
        {
            PhoneProvider = Choice("phoneProvider", ConfigValueNames.PhoneProviders, PhoneProvider.FriendtalkCompat, outbound),
            NhnBaseUrl = HttpUrl("nhnBaseUrl", OutboundConfig.DefaultNhnBaseUrl),
            BrandMessageBaseUrl = HttpUrl("brandMessageBaseUrl", OutboundConfig.DefaultBrandMessageBaseUrl),
            EventApiBaseUrl = HttpUrl("eventApiBaseUrl", OutboundConfig.DefaultEventApiBaseUrl),
            EventName = section.Text("eventName") is { Length: > 0 } name ? name : OutboundConfig.DefaultEventName,
            IsAd = section.Bool("isAd") ?? false,
            NightWindow = NightWindowValue(),
            DailyCap = section.Int("dailyCap") is { } cap ? NonNegative(cap, "dailyCap") : OutboundConfig.DefaultDailyCap,
            AgentRecipients = section.StringList("agentRecipients") ?? [],
            AgentSendsPerTurn = OutboundIntInRange("agentSendsPerTurn", OutboundConfig.DefaultAgentSendsPerTurn, 0, 20,
                "kakao_send calls one agent turn may make; use 0 to stop agents sending, or about 3"),
            AgentSendsPerUserPerDay = OutboundIntInRange("agentSendsPerUserPerDay", OutboundConfig.DefaultAgentSendsPerUserPerDay, 0, 10000,
                "kakao_send calls one user's turns may make per KST day; keep it well under dailyCap, such as 20"),
        };
    }

    private int OutboundIntInRange(string key, int fallback, int min, int max, string fix)
    {
        if (!outbound.TryGetValue(key, out var field) || context.Int(field.Value, field.Path) is not { } value)
        {
            return fallback;
        }

        if (value < min || value > max)
        {
            context.Error(field.Path, $"must be between {min} and {max} (got {value}); {fix}");
            return fallback;
        }

        return value;
    }

    private bool AllowUnauthenticatedWebhook()
    {
        if (!fields.TryGetValue("allowUnauthenticatedWebhook", out var field) || context.Bool(field.Value, field.Path) is not true)
        {
            return false;
        }

        if (OptionalString("webhookSecret") is not null)
        {
            context.Error(field.Path,
                $"is true but {PathOf("webhookSecret", "")} sets a secret; remove allowUnauthenticatedWebhook to require the secret, or remove webhookSecret");
        }

        return true;
    }

    private int NonNegative(int value, string key)
    {
        if (value >= 0)
        {
            return value;
        }

        context.Error(outbound[key].Path, $"must be 0 or more (got {value}); it caps messages per day, use 1000");
        return OutboundConfig.DefaultDailyCap;
    }

    private string HttpUrl(string key, string fallback)
    {
        if (!outbound.TryGetValue(key, out var field) || context.String(field.Value, field.Path) is not { } text)
        {
            return fallback;
        }

        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return text.Trim();
        }

        context.Error(field.Path, $"must be an absolute http(s) URL such as \"{fallback}\" (got \"{text}\")");
        return fallback;
    }

    private NightWindow? NightWindowValue()
    {
        if (!outbound.TryGetValue("nightWindow", out var field))
        {
            return new OutboundConfig().NightWindow;
        }

        // Unlike other keys, an explicit null means something here: no night window at all.
        if (field.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = context.String(field.Value, field.Path)?.Trim();
        if (text is null)
        {
            return new OutboundConfig().NightWindow;
        }

        if (!NightWindowFormat().IsMatch(text) || !NightWindow.TryParse(text, out var window))
        {
            context.Error(field.Path,
                $"must be \"HH:mm-HH:mm\" (KST, 24-hour) such as \"{NightWindow.Default}\", or null for no night window (got \"{text}\")");
            return new OutboundConfig().NightWindow;
        }

        if (window!.Start == window.End)
        {
            context.Error(field.Path, $"start and end are the same (\"{text}\"); use null for no night window");
        }

        return window;
    }

    private string? OptionalString(string key) =>
        fields.TryGetValue(key, out var field) && context.String(field.Value, field.Path) is { } text
            && !string.IsNullOrWhiteSpace(text)
            ? text.Trim()
            : null;

    private string RequiredText(string key, string fallback)
    {
        if (!fields.TryGetValue(key, out var field) || context.String(field.Value, field.Path) is not { } text)
        {
            return fallback;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            // Kakao needs at least one output in every answer, so this text can never be empty.
            context.Error(field.Path, $"must not be empty; remove the key to use the default \"{fallback}\"");
            return fallback;
        }

        return text;
    }

    private IReadOnlyList<string>? StringList(string key) =>
        fields.TryGetValue(key, out var field) ? context.StringList(field.Value, field.Path) : null;

    private int IntInRange(string key, int fallback, int min, int max, string fix)
    {
        if (!fields.TryGetValue(key, out var field) || context.Int(field.Value, field.Path) is not { } value)
        {
            return fallback;
        }

        if (value < min || value > max)
        {
            context.Error(field.Path, $"must be between {min} and {max} (got {value}); {fix}");
            return fallback;
        }

        return value;
    }

    private T Choice<T>(string key, IReadOnlyDictionary<string, T> names, T fallback, IReadOnlyDictionary<string, ConfigField>? source = null)
        where T : struct, Enum
    {
        source ??= fields;
        if (!source.TryGetValue(key, out var field) || context.String(field.Value, field.Path) is not { } text)
        {
            return fallback;
        }

        if (names.TryGetValue(text.Trim(), out var value))
        {
            return value;
        }

        var valid = string.Join(", ", names.Keys.Select(name => $"\"{name}\""));
        context.Error(field.Path, $"must be one of {valid} (got \"{text}\")");
        return fallback;
    }

    private string WebhookPath()
    {
        if (!fields.TryGetValue("webhookPath", out var field) || context.String(field.Value, field.Path) is not { } path)
        {
            return KakaoAccountConfig.DefaultWebhookPath;
        }

        if (!path.StartsWith('/') || path.Any(char.IsWhiteSpace) || path.Contains('?') || path.Contains('#'))
        {
            context.Error(field.Path,
                $"must start with \"/\" and contain no query string or whitespace (got \"{path}\"); use a path such as \"{KakaoAccountConfig.DefaultWebhookPath}\"");
            return KakaoAccountConfig.DefaultWebhookPath;
        }

        return path;
    }

    private string WebhookSecretHeader()
    {
        if (!fields.TryGetValue("webhookSecretHeader", out var field) || context.String(field.Value, field.Path) is not { } header)
        {
            return KakaoAccountConfig.DefaultWebhookSecretHeader;
        }

        if (!HeaderToken().IsMatch(header))
        {
            context.Error(field.Path,
                $"must be a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~; no spaces or colons), got \"{header}\"; use \"{KakaoAccountConfig.DefaultWebhookSecretHeader}\"");
            return KakaoAccountConfig.DefaultWebhookSecretHeader;
        }

        return header;
    }

    private IReadOnlyList<string> CallbackAllowedHosts()
    {
        if (!fields.TryGetValue("callbackAllowedHosts", out var field) || context.StringList(field.Value, field.Path) is not { } hosts)
        {
            return new KakaoAccountConfig { Id = "x" }.CallbackAllowedHosts;
        }

        var valid = new List<string>();
        for (var i = 0; i < hosts.Count; i++)
        {
            var entry = hosts[i].ToLowerInvariant();
            var (pattern, port) = SplitPort(entry);
            var host = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
            if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown || port is < 1 or > 65535)
            {
                context.Error($"{field.Path}[{i}]",
                    $"\"{hosts[i]}\" must be a host name such as \"bot-api.kakao.com\" or a wildcard such as \"*.kakao.com\", " +
                    "optionally with a port such as \":443\" (no scheme or path)");
                continue;
            }

            valid.Add(entry);
        }

        return valid;
    }

    // "host:443" → ("host", 443); "host" → ("host", null); a port that is not a number → port 0, which fails validation.
    private static (string Host, int? Port) SplitPort(string entry)
    {
        var colon = entry.LastIndexOf(':');
        if (colon < 0)
        {
            return (entry, null);
        }
        return int.TryParse(entry[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? (entry[..colon], port)
            : (entry[..colon], 0);
    }

    /// <summary>Typed reads over the outbound fields.</summary>
    private readonly struct Section(ConfigContext context, IReadOnlyDictionary<string, ConfigField> fields)
    {
        public string? Text(string key) =>
            fields.TryGetValue(key, out var f) ? context.String(f.Value, f.Path)?.Trim() : null;

        public bool? Bool(string key) => fields.TryGetValue(key, out var f) ? context.Bool(f.Value, f.Path) : null;

        public int? Int(string key) => fields.TryGetValue(key, out var f) ? context.Int(f.Value, f.Path) : null;

        public IReadOnlyList<string>? StringList(string key) =>
            fields.TryGetValue(key, out var f) ? context.StringList(f.Value, f.Path) : null;
    }
}
