using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using KakaoAspire.Cli.Gateway;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Moltbot.Config.Parsing;
using Spectre.Console;

namespace KakaoAspire.Cli.Kakao;

/// <summary>
/// <c>moltbot kakao setup</c>: asks for (<see cref="SetupWizard"/>) or takes as flags the keys, port, path, secret
/// header, DM policy, allowFrom and phone provider, writes them into <c>channels.kakao</c> only, and prints what to
/// paste into Kakao i Open Builder.
/// </summary>
public static class SetupCommand
{
    private sealed record Field(string Key, Option<string?> Option);

    public static readonly string[] DmPolicies = ["open", "pairing", "allowlist", "disabled"];
    public static readonly string[] PhoneProviders = ["friendtalk-compat", "brand-message"];

    public static Command Create(CliConsole console, Option<string?> config)
    {
        var account = new Option<string>("--account") { Description = "The account to set up", DefaultValueFactory = _ => "default" };
        AccountCompletions.AddTo(account, config, console);
        var nonInteractive = new Option<bool>("--non-interactive") { Description = "Ask nothing; use the flags and keep everything else" };
        var generateSecret = new Option<bool>("--generate-secret") { Description = "Generate a webhookSecret (Open Builder sends it as a header)" };
        var allowFrom = new Option<string[]>("--allow-from") { Description = "Allowed user ids (for dmPolicy allowlist)", AllowMultipleArgumentsPerToken = true };
        var dmPolicy = new Option<string?>("--dm-policy") { Description = "Who may talk to the bot: open (default), pairing, allowlist or disabled" };
        dmPolicy.AcceptOnlyFromAmong(DmPolicies);
        var provider = new Option<string?>("--provider") { Description = "outbound.phoneProvider: friendtalk-compat (default) or brand-message" };
        provider.AcceptOnlyFromAmong(PhoneProviders);
        Field[] fields =
        [
            new("name", new("--name") { Description = "A name for this account" }),
            new("adminKey", new("--admin-key") { Description = "Kakao Developers REST API key (or '${KAKAO_ADMIN_KEY}')" }),
            new("channelId", new("--channel-id") { Description = "Kakao Business channel id" }),
            new("botId", new("--bot-id") { Description = "Open Builder bot id" }),
            new("senderKey", new("--sender-key") { Description = "NHN sender key" }),
            new("toastAppKey", new("--toast-app-key") { Description = "NHN Cloud app key" }),
            new("toastSecretKey", new("--toast-secret-key") { Description = "NHN Cloud secret key" }),
            new("webhookPort", new("--port") { Description = "Webhook port (default 8788)" }),
            new("webhookPath", new("--path") { Description = "Webhook path (default /kakao/webhook)" }),
            new("webhookSecretHeader", new("--secret-header") { Description = "Header carrying the webhook secret (default X-Moltbot-Webhook-Secret)" }),
            new("webhookSecret", new("--secret") { Description = "The webhook secret itself" }),
            new("dmPolicy", dmPolicy),
            new("phoneProvider", provider),
        ];

        var command = new Command("setup", "Set up the KakaoTalk channel: keys, port, path, secret, DM policy") { account, nonInteractive, generateSecret, allowFrom };
        foreach (var field in fields)
        {
            command.Add(field.Option);
        }
        command.SetAction((parse, _) =>
        {
            var given = fields.ToDictionary(f => f, f => parse.GetValue(f.Option));
            return Task.FromResult(Run(console, parse.GetValue(config), parse.GetValue(account)!,
                given, parse.GetValue(allowFrom), parse.GetValue(generateSecret), parse.GetValue(nonInteractive)));
        });
        return command;
    }

    private static int Run(CliConsole console, string? configOption, string accountId, Dictionary<Field, string?> given,
        string[]? allowFrom, bool generateSecret, bool nonInteractive)
    {
        accountId = accountId.Trim().ToLowerInvariant();
        var path = configOption
            ?? MoltbotPaths.ResolveConfigPath(console.Environment, console.HomeDirectory)
            ?? Path.Combine(console.HomeDirectory, ".moltbot.json");
        var exists = File.Exists(path);
        JsonObject root;
        try
        {
            var existing = exists ? File.ReadAllText(path) : "";
            root = string.IsNullOrWhiteSpace(existing) ? [] : JsonNode.Parse(Json5Text.ToJson(existing)) as JsonObject ?? [];
        }
        catch (Json5SyntaxException ex)
        {
            console.Error.WriteLine($"{path}: {ex.Message}. It is not valid JSON5; fix it first, nothing was changed.");
            return ExitCodes.InvalidInput;
        }

        var kakao = Child(Child(root, "channels"), "kakao");
        var account = Child(Child(kakao, "accounts"), accountId);
        foreach (var (field, value) in given)
        {
            if (value is null)
            {
                continue;
            }
            if (field.Key == "webhookPort")
            {
                if (!int.TryParse(value, out var port) || port is < 1 or > 65535)
                {
                    console.Error.WriteLine($"--port '{value}' is not a port number (1-65535).");
                    return ExitCodes.InvalidInput;
                }
                account[field.Key] = port;
            }
            else if (field.Key == "phoneProvider")
            {
                var outbound = account["outbound"] as JsonObject ?? [];
                outbound["phoneProvider"] = value;
                account["outbound"] = outbound;
            }
            else if (value.Length == 0)
            {
                account.Remove(field.Key);
            }
            else
            {
                account[field.Key] = value;
            }
        }
        if (generateSecret)
        {
            account["webhookSecret"] = SetupWizard.NewSecret();
        }
        if (allowFrom is { Length: > 0 })
        {
            account["allowFrom"] = new JsonArray(allowFrom.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
        }

        ISet<string> variables = new HashSet<string>();
        if (console.IsInteractive && !nonInteractive)
        {
            var prompts = console.Prompts ?? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Out) });
            prompts.MarkupLine($"Setting up KakaoTalk account [bold]{Markup.Escape(accountId)}[/] in {Markup.Escape(path)}. Enter keeps the value in brackets.");
            var givenKeys = given.Where(g => g.Value is not null).Select(g => g.Key.Key)
                .Concat(generateSecret ? ["webhookSecret"] : []).Concat(allowFrom is { Length: > 0 } ? ["allowFrom"] : []).ToHashSet();
            variables = SetupWizard.Run(prompts, account, givenKeys);
        }
        account["enabled"] ??= true;

        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        MoltbotConfig config;
        try
        {
            // A ${VAR} the wizard just wrote may not be set in this shell yet; it is checked when the gateway starts.
            config = MoltbotConfigLoader.Parse(text, path, name => console.Environment(name) ?? (variables.Contains(name) ? "(set later)" : null));
        }
        catch (MoltbotConfigException ex)
        {
            console.Error.WriteLine($"Not written: the result would be invalid. {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        Write(path, text, exists);
        console.Out.WriteLine(exists
            ? $"Updated channels.kakao in {path} (the previous file is {path}.bak; comments are not kept)."
            : $"Wrote {path} (readable by you only).");

        var unset = variables.Where(v => string.IsNullOrEmpty(console.Environment(v))).Order(StringComparer.Ordinal).ToList();
        if (unset.Count > 0)
        {
            console.Out.WriteLine($"The file names these environment variables; set them where 'moltbot gateway run' runs (they are not set here): {string.Join(", ", unset)}");
        }

        var home = console.HomeDirectory;
        var state = MoltbotPaths.KakaoStateDirectory(console.Environment, home, path);
        if (GatewayRunCommand.FindProject(console.WorkingDirectory) is { } appHost)
        {
            GatewayRunCommand.Record(state, appHost);
            console.Out.WriteLine($"Recorded the AppHost for 'moltbot gateway run': {appHost}");
        }
        // A secret the user did not set is generated now, so Open Builder can be set up before the first start.
        config = WebhookSecretStore.Apply(config, state);
        PrintOpenBuilderSteps(console.Out, config.Kakao.FindAccount(accountId)!, account["webhookSecret"]?.ToString());
        return ExitCodes.Ok;
    }

    private static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    /// <summary>
    /// A new file is created owner-only; an existing one is saved as .bak first (owner-only too: it holds the same keys),
    /// then replaced atomically by an owner-only file, whatever mode the old one had.
    /// </summary>
    private static void Write(string path, string text, bool exists)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (exists)
        {
            OwnerOnly.Copy(path, path + ".bak");
        }
        OwnerOnly.WriteAllText(path, text);
    }

    private static void PrintOpenBuilderSteps(TextWriter output, KakaoAccountConfig account, string? writtenSecret)
    {
        output.WriteLine();
        output.WriteLine("Next, in Kakao i Open Builder (https://i.kakao.com):");
        output.WriteLine($"1. 스킬 → 스킬 생성: URL http://<your-server>:{account.WebhookPort}{account.WebhookPath}");
        if (writtenSecret is not null && writtenSecret.StartsWith("${", StringComparison.Ordinal))
        {
            output.WriteLine($"   헤더값 입력: name {account.WebhookSecretHeader}, value: the value of {writtenSecret[2..^1]}");
        }
        else
        {
            // A secret the user typed or asked to generate is shown (it is in the config file anyway); a generated one
            // only by where it is, so it never lands in a terminal log unasked.
            output.WriteLine($"   {StatusCommand.SecretHeaderStep(account, showValue: account.WebhookSecretSource == "config")}");
        }
        output.WriteLine("2. 시나리오: connect the skill to the fallback block (폴백 블록), then 배포 (deploy).");
        output.WriteLine($"3. On a laptop, expose the port with a tunnel: 'ngrok http {account.WebhookPort}' or " +
                         $"'cloudflared tunnel --url http://localhost:{account.WebhookPort}', and use its https URL + {account.WebhookPath}.");
        output.WriteLine("   A tunnel eats into Kakao's 5-second budget; answers leave within replyDeadlineMs (4 s).");
        output.WriteLine("4. Start the gateway: moltbot gateway run");
    }
}
