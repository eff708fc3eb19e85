using System.Text.Json;

namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>The few scalar keys of Moltbot's own sections we use: gateway.auth.token (or OPENCLAW_GATEWAY_TOKEN), gateway.port, session.dmScope.</summary>
internal static class MoltbotSectionsParser
{
    public static GatewaySection Gateway(JsonElement root, ConfigContext context)
    {
        var gateway = context.Object(ConfigContext.Property(root, "gateway"), "gateway");
        var port = GatewaySection.DefaultPort;
        if (ConfigContext.Property(gateway, "port") is { } portValue && context.Int(portValue, "gateway.port") is { } configured)
        {
            if (configured is >= 1 and <= 65535)
            {
                port = configured;
            }
            else
            {
                context.Error("gateway.port", $"must be between 1 and 65535 (got {configured}); Moltbot's default is {GatewaySection.DefaultPort}");
            }
        }

        var auth = context.Object(ConfigContext.Property(gateway, "auth"), "gateway.auth");
        var token = ConfigContext.Property(auth, "token") is { } tokenValue
            ? context.String(tokenValue, "gateway.auth.token")?.Trim()
            : null;

        if (string.IsNullOrEmpty(token))
        {
            // OpenClaw's own name for the same token; the file wins, as in OpenClaw.
            token = context.Environment(MoltbotPaths.OpenClawGatewayTokenVariable)?.Trim();
        }

        return new GatewaySection { Port = port, AuthToken = string.IsNullOrEmpty(token) ? null : token };
    }

    public static SessionSection Session(JsonElement root, ConfigContext context)
    {
        var session = context.Object(ConfigContext.Property(root, "session"), "session");
        if (ConfigContext.Property(session, "dmScope") is not { } value || context.String(value, "session.dmScope") is not { } scope)
        {
            return new SessionSection();
        }

        if (ConfigValueNames.DmScopes.Contains(scope.Trim()))
        {
            return new SessionSection { DmScope = scope.Trim() };
        }

        var valid = string.Join(", ", ConfigValueNames.DmScopes.Select(s => $"\"{s}\""));
        context.Error("session.dmScope", $"must be one of {valid} (got \"{scope}\"); use \"{SessionSection.DefaultDmScope}\" for a public channel");
        return new SessionSection();
    }
}
