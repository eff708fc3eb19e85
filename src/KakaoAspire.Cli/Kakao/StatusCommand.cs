using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli.Kakao;

/// <summary>
/// <c>moltbot kakao status</c>: Moltbot's shape — whether the gateway answers, a line per account, then warnings
/// with their fix. It never prints a secret: keys show only where they come from.
/// </summary>
public static class StatusCommand
{
    public static Command Create(CliConsole console, Option<string?> config)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of text" };
        var probe = new Option<bool>("--probe") { Description = "Also check credentials, Redis and the webhook path with read-only calls (never a send)" };
        var showSecret = new Option<bool>("--show-secret") { Description = "Also print each account's webhook secret, to paste into Open Builder" };
        var command = new Command("status", "Show the KakaoTalk channel's accounts, activity and problems") { json, probe, showSecret };
        command.SetAction((parse, ct) => RunAsync(console, parse.GetValue(config), parse.GetValue(json), parse.GetValue(probe), ct,
            parse.GetValue(showSecret)));
        return command;
    }

    public static async Task<int> RunAsync(CliConsole console, string? configPath, bool asJson, bool withProbe, CancellationToken cancellationToken,
        bool showSecret = false)
    {
        var context = CliContext.Load(console, configPath);
        if (context is null)
        {
            return ExitCodes.InvalidInput;
        }
        using var gateway = new GatewayClient(context);
        var status = await gateway.SendAsync(HttpMethod.Get, "api/v1/status", cancellationToken: cancellationToken);
        var reachable = status is { Status: System.Net.HttpStatusCode.OK };
        var probes = withProbe
            ? await CliProgress.RunAsync(console, "Probing…", progress => StatusProbes.RunAsync(context, status?.Body, progress, cancellationToken))
            : [];
        var token = context.Token;

        var report = new JsonObject
        {
            ["gatewayReachable"] = reachable,
            ["gatewayUrl"] = context.GatewayUrl.ToString(),
            ["configPath"] = context.Config.SourcePath,
            ["apiToken"] = new JsonObject { ["source"] = token.Source, ["path"] = token.FilePath },
            ["accounts"] = new JsonArray(context.Config.Kakao.Accounts.Select(a => (JsonNode)AccountReport(a, status?.Body, reachable, showSecret)).ToArray()),
            ["warnings"] = new JsonArray(Warnings(context.Config).Select(w => (JsonNode)JsonValue.Create(w)!).ToArray()),
        };
        if (status?.Body?["queueError"]?.ToString() is { } queueError)
        {
            report["queueError"] = queueError;
        }
        if (withProbe)
        {
            report["probes"] = new JsonArray(probes.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Name, ["ok"] = p.Ok, ["detail"] = p.Detail,
            }).ToArray());
        }

        if (asJson)
        {
            console.Out.WriteLine(report.ToJsonString(new JsonSerializerOptions
            {
                WriteIndented = true,
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }));
        }
        else
        {
            WriteText(console.Out, context, report, reachable, probes, showSecret);
        }
        return withProbe && probes.Any(p => !p.Ok) ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static JsonObject AccountReport(KakaoAccountConfig account, JsonNode? status, bool reachable, bool showSecret)
    {
        var live = (status?["accounts"] as JsonArray)?.FirstOrDefault(a =>
            string.Equals(a?["id"]?.ToString() ?? a?["accountId"]?.ToString(), account.Id, StringComparison.OrdinalIgnoreCase));
        return new JsonObject
        {
            ["id"] = account.Id,
            ["name"] = account.Name,
            ["enabled"] = account.Enabled,
            ["configured"] = account.HasAdminKey,
            ["running"] = reachable && account.Enabled,
            ["mode"] = "webhook",
            ["webhook"] = $"http://<your-server>:{account.WebhookPort}{account.WebhookPath}",
            ["dmPolicy"] = account.DmPolicy.ToConfigValue(),
            ["allowFrom"] = new JsonArray(account.AllowFrom.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
            ["tokenSource"] = TokenSource(account),
            ["webhookSecret"] = SecretReport(account, showSecret),
            ["outbound"] = account.IsNhnOutboundConfigured ? account.Outbound.PhoneProvider.ToConfigValue() : "not configured",
            ["in"] = Activity(live?["in"]),
            ["out"] = Activity(live?["out"]),
            ["lastError"] = live?["lastError"]?.ToString(),
            ["lastErrorAt"] = live?["lastErrorAt"]?.ToString(),
            ["queue"] = live?["queue"]?.DeepClone(),
        };
    }

    private static JsonObject Activity(JsonNode? node) => new()
    {
        ["lastAt"] = node?["lastAt"]?.ToString(),
        ["count"] = long.TryParse(node?["count"]?.ToString(), out var count) ? count : 0,
    };

    /// <summary>Where the webhook secret is and which header carries it; the value only when asked for (--show-secret).</summary>
    private static JsonObject SecretReport(KakaoAccountConfig account, bool showSecret)
    {
        var report = new JsonObject
        {
            ["source"] = account.WebhookSecretSource,
            ["header"] = account.WebhookSecretHeader,
            ["path"] = account.WebhookSecretFile,
        };
        if (showSecret && account.WebhookSecret is not null)
        {
            report["value"] = account.WebhookSecret;
        }
        return report;
    }

    /// <summary>The Open Builder step for an account's secret header: where to read the value, or the value when asked for.</summary>
    public static string SecretHeaderStep(KakaoAccountConfig account, bool showValue) => account.WebhookSecret switch
    {
        null => "no secret header: allowUnauthenticatedWebhook is true, so anyone who can reach the port can post as any user",
        { } secret when showValue => $"헤더값 입력: name {account.WebhookSecretHeader}, value {secret}",
        _ => $"헤더값 입력: name {account.WebhookSecretHeader}, value: " + (account.WebhookSecretFile is { } file
            ? $"the contents of {file} (or run 'moltbot kakao status --show-secret')"
            : $"the webhookSecret of account {account.Id} in your config"),
    };

    /// <summary>Where the account's Kakao key comes from, never the key itself.</summary>
    private static string TokenSource(KakaoAccountConfig account) => account.HasAdminKey ? "config" : "none";

    public static IEnumerable<string> Warnings(MoltbotConfig config)
    {
        foreach (var account in config.Kakao.EnabledAccounts)
        {
            if (account.DmPolicy == DmPolicy.Open)
            {
                yield return $"{account.Id}: dmPolicy is \"open\": anyone who finds the channel can talk to your agent. " +
                             "Fix: set dmPolicy to \"pairing\" (approve people with 'moltbot pairing approve kakao <CODE>') or \"allowlist\".";
            }
            if (!account.HasAdminKey)
            {
                yield return $"{account.Id}: not configured for the Event API (no adminKey). Fix: set adminKey or the KAKAO_ADMIN_KEY variable.";
            }
            if (account.IsNhnOutboundConfigured && account.Outbound.PhoneProvider == PhoneProvider.FriendtalkCompat)
            {
                yield return $"{account.Id}: Friend Talk ended; NHN's compatibility send works until about 2026-12-31. " +
                             "Fix: move to Brand Message (outbound.phoneProvider \"brand-message\").";
            }
        }
        foreach (var notice in SecurityNotices.For(config))
        {
            yield return notice;
        }
        foreach (var warning in config.Warnings)
        {
            yield return warning;
        }
    }

    /// <summary>
    /// e.g. <c>queue: 3 waiting, oldest msg_… since 2026-01-02 12:00:00 KST (4 min), 2 scheduled; today 3/1000 of dailyCap</c>.
    /// </summary>
    private static void WriteQueue(TextWriter output, JsonNode? queue)
    {
        if (queue is null)
        {
            return;
        }
        long Count(string field) => long.TryParse(queue[field]?.ToString(), out var n) ? n : 0;
        var waiting = Count("ready") + Count("sending");
        var oldest = queue["oldestWaitingId"]?.ToString() is { } id
            ? $", oldest {id} since {Kst.Format(queue["oldestWaitingSince"]?.ToString())} ({Age(queue["oldestWaitingSince"]?.ToString())})"
            : "";
        output.WriteLine($"    queue: {waiting} waiting{oldest}, {Count("scheduled")} scheduled; today {Count("capUsed")}/{Count("capLimit")} of dailyCap");
        if (queue["lastError"]?.ToString() is { Length: > 0 } sendError)
        {
            output.WriteLine($"    last send failure: {sendError}{(queue["lastFailedAt"]?.ToString() is { } at ? $" at {Kst.Format(at)}" : "")}");
        }
    }

    private static string Age(string? since)
    {
        if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at))
        {
            return "unknown";
        }
        var age = DateTimeOffset.UtcNow - at;
        return age < TimeSpan.FromMinutes(1) ? $"{Math.Max(0, (int)age.TotalSeconds)} s"
            : age < TimeSpan.FromHours(1) ? $"{(int)age.TotalMinutes} min"
            : $"{(int)age.TotalHours} h {age.Minutes} min";
    }

    private static void WriteText(TextWriter output, CliContext context, JsonObject report, bool reachable, IReadOnlyList<StatusProbes.Result> probes,
        bool showSecret)
    {
        output.WriteLine(reachable
            ? "Gateway reachable."
            : $"Gateway not reachable at {context.GatewayUrl}; showing the config only.");
        output.WriteLine($"Config: {context.Config.SourcePath ?? "(none: defaults)"}");
        var token = context.Token;
        output.WriteLine($"API token: {(token.Source == "config" ? "gateway.auth.token in the config" : token.FilePath)}");
        foreach (var account in report["accounts"]!.AsArray())
        {
            var allow = account!["allowFrom"]!.AsArray();
            var parts = new[]
            {
                account["enabled"]!.GetValue<bool>() ? "enabled" : "disabled",
                account["configured"]!.GetValue<bool>() ? "configured" : "not configured",
                account["running"]!.GetValue<bool>() ? "running" : "stopped",
                $"in:{Kst.Format(account["in"]!["lastAt"]?.ToString())} ({account["in"]!["count"]})",
                $"out:{Kst.Format(account["out"]!["lastAt"]?.ToString())} ({account["out"]!["count"]})",
                "mode:webhook",
                $"dm:{account["dmPolicy"]}",
                $"allow:{(allow.Count == 0 ? "-" : string.Join(",", allow))}",
                $"token:{account["tokenSource"]}",
                $"secret:{account["webhookSecret"]!["source"]}",
                reachable ? "works" : "unknown",
            };
            var name = account["name"]?.ToString();
            output.WriteLine($"- Kakao {account["id"]}{(name is null ? "" : $" ({name})")}: {string.Join(", ", parts)}");
            WriteQueue(output, account["queue"]);
            if (account["lastError"]?.ToString() is { Length: > 0 } lastError)
            {
                output.WriteLine($"    last error: {lastError} at {Kst.Format(account["lastErrorAt"]?.ToString())}");
            }
        }
        if (report["queueError"]?.ToString() is { } queueError)
        {
            output.WriteLine($"Queue: {queueError}");
        }
        var enabled = context.Config.Kakao.EnabledAccounts.ToList();
        if (enabled.Count > 0)
        {
            output.WriteLine("Webhook secret (Open Builder: 스킬 → your skill → 헤더값 입력):");
            foreach (var account in enabled)
            {
                output.WriteLine($"- {account.Id}: {SecretHeaderStep(account, showSecret)}");
            }
        }
        if (probes.Count > 0)
        {
            output.WriteLine("Probes:");
            foreach (var probe in probes)
            {
                output.WriteLine($"- {probe.Name}: {(probe.Ok ? "ok" : "FAILED")} — {probe.Detail}");
            }
        }
        var warnings = report["warnings"]!.AsArray();
        if (warnings.Count > 0)
        {
            output.WriteLine("Warnings:");
            foreach (var warning in warnings)
            {
                output.WriteLine($"- {warning}");
            }
        }
    }
}
