using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>
/// <c>channels.kakao</c> is ours, so it is strict: unknown keys and wrong types are errors. Accounts merge
/// as Moltbot's do (docs/moltbot-channel-rules.md#account-merging): base fields, overridden per key by <c>accounts.&lt;id&gt;</c>.
/// </summary>
internal static partial class KakaoSectionParser
{
    private const string SectionPath = "channels.kakao";
    private const string AccountsPath = SectionPath + ".accounts";

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex AccountId();

    public static KakaoChannelConfig Parse(JsonElement? section, int gatewayPort, ConfigContext context)
    {
        var kakao = context.Object(section, SectionPath);
        var baseFields = new Dictionary<string, ConfigField>();
        var baseOutbound = new Dictionary<string, ConfigField>();
        JsonElement? accounts = null;
        string? defaultAccount = null;
        var rateLimit = 120;
        IReadOnlyList<IPNetwork> trustedProxies = [];
        var gateway = new MoltbotGatewaySection { Url = MoltbotGatewaySection.DefaultUrl(gatewayPort) };

        foreach (var property in Properties(kakao))
        {
            var path = ConfigContext.Join(SectionPath, property.Name);
            switch (property.Name)
            {
                case "accounts":
                    accounts = context.Object(property.Value, path);
                    break;
                case "defaultAccount":
                    defaultAccount = context.String(property.Value, path);
                    break;
                case "apiRateLimitPerMinute":
                    rateLimit = RateLimit(property.Value, path, context) ?? rateLimit;
                    break;
                case "trustedProxies":
                    trustedProxies = TrustedProxies(property.Value, path, context);
                    break;
                case "moltbotGateway":
                    gateway = MoltbotGateway(property.Value, path, gateway, context);
                    break;
                default:
                    AddAccountField(property, path, KakaoKeys.Channel, baseFields, baseOutbound, context);
                    break;
            }
        }

        var baseEnabled = baseFields.TryGetValue(KakaoKeys.Enabled, out var enabledField)
            ? context.Bool(enabledField.Value, enabledField.Path) : null;

        var built = new List<(KakaoAccountConfig Account, KakaoAccountBuilder Builder, string Path)>();
        var seen = new Dictionary<string, string>();
        foreach (var (rawId, entry) in AccountEntries(accounts))
        {
            var accountPath = ConfigContext.Join(AccountsPath, rawId);
            var id = rawId.Trim().ToLowerInvariant();
            if (!AccountId().IsMatch(id))
            {
                context.Error(accountPath,
                    $"account id \"{rawId}\" must be 1-64 characters of a-z, 0-9, \"_\" or \"-\", starting with a letter or digit; rename the key");
                continue;
            }

            if (!seen.TryAdd(id, accountPath))
            {
                context.Error(accountPath, $"account id \"{id}\" is used twice (also {seen[id]}); account ids are case-insensitive, rename one");
                continue;
            }

            var fields = new Dictionary<string, ConfigField>(baseFields);
            var outbound = new Dictionary<string, ConfigField>(baseOutbound);
            bool? accountEnabled = null;
            foreach (var property in Properties(entry is null ? null : context.Object(entry, accountPath)))
            {
                var path = ConfigContext.Join(accountPath, property.Name);
                if (property.Name == KakaoKeys.Enabled)
                {
                    accountEnabled = context.Bool(property.Value, path);
                    continue;
                }

                AddAccountField(property, path, KakaoKeys.Account, fields, outbound, context);
            }

            // Moltbot's rule: either level can switch an account off, neither can force it on.
            var enabled = baseEnabled != false && accountEnabled != false;
            var builder = new KakaoAccountBuilder(context, fields, outbound);
            built.Add((builder.Build(id, enabled), builder, accountPath));
        }

        var resolvedDefault = ResolveDefaultAccount(defaultAccount, built.Select(b => b.Account.Id).ToList(), context);
        var result = built
            .Select(b => b.Account.Id == resolvedDefault ? FillFromEnvironment(b.Account, context) : b.Account)
            .OrderBy(a => a.Id, StringComparer.Ordinal)
            .ToList();

        CheckWebhookCollisions(built, context);
        CheckAllowlists(built, context);

        return new KakaoChannelConfig
        {
            DefaultAccount = resolvedDefault,
            ApiRateLimitPerMinute = rateLimit,
            TrustedProxies = trustedProxies,
            MoltbotGateway = gateway,
            Accounts = result,
        };
    }

    private static IEnumerable<JsonProperty> Properties(JsonElement? obj) =>
        obj is { ValueKind: JsonValueKind.Object } element ? element.EnumerateObject() : [];

    // No accounts map (or an empty one): one account "default" made of the base fields.
    private static IEnumerable<(string Id, JsonElement? Entry)> AccountEntries(JsonElement? accounts)
    {
        var entries = Properties(accounts).Select(p => (p.Name, (JsonElement?)p.Value)).ToList();
        return entries.Count > 0 ? entries : [(KakaoAccountConfig.DefaultId, null)];
    }

    private static void AddAccountField(
        JsonProperty property,
        string path,
        IReadOnlyList<string> validKeys,
        Dictionary<string, ConfigField> fields,
        Dictionary<string, ConfigField> outbound,
        ConfigContext context)
    {
        if (property.Name == KakaoKeys.Outbound)
        {
            foreach (var item in Properties(context.Object(property.Value, path)))
            {
                var itemPath = ConfigContext.Join(path, item.Name);
                if (KakaoKeys.OutboundKeys.Contains(item.Name))
                {
                    // Merged per key, so the base can hold the NHN URLs and an account only its event name.
                    outbound[item.Name] = new ConfigField(item.Value, itemPath);
                }
                else
                {
                    context.Error(itemPath, KeySuggestion.UnknownKeyMessage(item.Name, [.. KakaoKeys.OutboundKeys]));
                }
            }

            return;
        }

        if (KakaoKeys.Account.Contains(property.Name))
        {
            fields[property.Name] = new ConfigField(property.Value, path);
            return;
        }

        context.Error(path, KeySuggestion.UnknownKeyMessage(property.Name, [.. validKeys]));
    }

    private static int? RateLimit(JsonElement value, string path, ConfigContext context)
    {
        var limit = context.Int(value, path);
        if (limit is < 1)
        {
            context.Error(path, $"must be 1 or more (got {limit}); it limits /api/* requests per client IP per minute, use 120");
            return null;
        }

        return limit;
    }

    /// <summary>Addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>); a network that takes in every address is refused.</summary>
    private static IReadOnlyList<IPNetwork> TrustedProxies(JsonElement value, string path, ConfigContext context)
    {
        var entries = context.StringList(value, path) ?? [];
        var networks = new List<IPNetwork>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            IPNetwork network;
            if (IPAddress.TryParse(entry, out var address) && !entry.Contains('/'))
            {
                network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            }
            else if (!IPNetwork.TryParse(entry, out network))
            {
                context.Error($"{path}[{i}]",
                    $"\"{entry}\" must be an IP address such as \"127.0.0.1\" or a network such as \"10.0.0.0/8\" (your reverse proxy's address, no port)");
                continue;
            }
            if (network.PrefixLength == 0)
            {
                context.Error($"{path}[{i}]",
                    $"\"{entry}\" trusts every address, so any caller could choose the client address the edge sees; list only your reverse proxy's address");
                continue;
            }
            networks.Add(network);
        }

        return networks;
    }

    private static MoltbotGatewaySection MoltbotGateway(JsonElement value, string path, MoltbotGatewaySection defaults, ConfigContext context)
    {
        var url = defaults.Url;
        string? token = null;
        var transport = OpenClawTransport.Auto;
        var run = false;
        foreach (var property in Properties(context.Object(value, path)))
        {
            var itemPath = ConfigContext.Join(path, property.Name);
            switch (property.Name)
            {
                case "url":
                    var text = context.String(property.Value, itemPath)?.Trim();
                    if (text is null)
                    {
                        break;
                    }

                    if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss" or "http" or "https")
                    {
                        url = text;
                    }
                    else
                    {
                        context.Error(itemPath, $"must be an absolute ws:// or wss:// URL such as \"{defaults.Url}\" (got \"{text}\")");
                    }

                    break;
                case "token":
                    token = context.String(property.Value, itemPath) is { Length: > 0 } t ? t : null;
                    break;
                case "transport":
                    var name = context.String(property.Value, itemPath)?.Trim().ToLowerInvariant();
                    switch (name)
                    {
                        case null or "" or "auto":
                            transport = OpenClawTransport.Auto;
                            break;
                        case "plugin":
                            transport = OpenClawTransport.Plugin;
                            break;
                        case "operator":
                            transport = OpenClawTransport.Operator;
                            break;
                        default:
                            context.Error(itemPath, $"must be \"auto\", \"plugin\" or \"operator\" (got \"{name}\"); \"auto\" uses the Kakao plugin's relay when it answers");
                            break;
                    }
                    break;
                case "run":
                    run = context.Bool(property.Value, itemPath) ?? false;
                    break;
                default:
                    context.Error(itemPath, KeySuggestion.UnknownKeyMessage(property.Name, [.. KakaoKeys.MoltbotGateway]));
                    break;
            }
        }

        return new MoltbotGatewaySection { Url = url, Token = token, Transport = transport, Run = run };
    }

    // Moltbot's rule when none is named: "default" if it exists, else the first id.
    private static string ResolveDefaultAccount(string? configured, IReadOnlyList<string> ids, ConfigContext context)
    {
        var sorted = ids.Order(StringComparer.Ordinal).ToList();
        var fallback = sorted.Contains(KakaoAccountConfig.DefaultId)
            ? KakaoAccountConfig.DefaultId
            : sorted.FirstOrDefault() ?? KakaoAccountConfig.DefaultId;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return fallback;
        }

        var wanted = configured.Trim().ToLowerInvariant();
        if (sorted.Contains(wanted))
        {
            return wanted;
        }

        var known = string.Join(", ", sorted.Select(id => $"\"{id}\""));
        context.Error(ConfigContext.Join(SectionPath, "defaultAccount"),
            $"\"{configured}\" is not an account; use one of {known}, or add {AccountsPath}.{wanted}");
        return fallback;
    }

    // The guide's Quick Start puts these two in the environment rather than in the file.
    private static KakaoAccountConfig FillFromEnvironment(KakaoAccountConfig account, ConfigContext context)
    {
        var adminKey = context.Environment("KAKAO_ADMIN_KEY");
        var channelId = context.Environment("KAKAO_CHANNEL_ID");
        return account with
        {
            AdminKey = account.AdminKey ?? (string.IsNullOrWhiteSpace(adminKey) ? null : adminKey.Trim()),
            ChannelId = account.ChannelId ?? (string.IsNullOrWhiteSpace(channelId) ? null : channelId.Trim()),
        };
    }

    private static void CheckWebhookCollisions(
        IEnumerable<(KakaoAccountConfig Account, KakaoAccountBuilder Builder, string Path)> accounts,
        ConfigContext context)
    {
        var owners = new Dictionary<(int, string), string>();
        foreach (var (account, builder, path) in accounts.Where(a => a.Account.Enabled).OrderBy(a => a.Account.Id, StringComparer.Ordinal))
        {
            var key = (account.WebhookPort, account.WebhookPath.TrimEnd('/').ToLowerInvariant());
            if (owners.TryGetValue(key, out var other))
            {
                context.Error(builder.PathOf("webhookPath", path),
                    $"accounts \"{other}\" and \"{account.Id}\" both listen on port {account.WebhookPort} at {account.WebhookPath}; " +
                    "give each enabled account its own webhookPort or webhookPath");
                continue;
            }

            owners[key] = account.Id;
        }
    }

    private static void CheckAllowlists(
        IEnumerable<(KakaoAccountConfig Account, KakaoAccountBuilder Builder, string Path)> accounts,
        ConfigContext context)
    {
        foreach (var (account, builder, path) in accounts)
        {
            if (account.DmPolicy == DmPolicy.Allowlist && account.AllowFrom.Count == 0)
            {
                context.Error(builder.PathOf("dmPolicy", path),
                    $"dmPolicy \"allowlist\" with an empty allowFrom lets nobody in; add user ids to {path}.allowFrom, " +
                    "or use dmPolicy \"open\" or \"pairing\"");
            }
        }
    }
}
