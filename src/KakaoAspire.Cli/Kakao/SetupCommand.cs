using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using KakaoAspire.Cli.Gateway;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli.Kakao;

/// <summary>
/// <c>moltbot kakao setup</c>: asks for (or takes as flags) the keys, port, path, secret header and DM policy,
/// writes them into <c>channels.kakao</c> only, and prints what to paste into Kakao i Open Builder.
/// </summary>
public static class SetupCommand
{
    private sealed record Field(string Key, string Prompt, Option<string?> Option, bool Secret = false);

    public static Command Create(CliConsole console, Option<string?> config)
    {
        var account = new Option<string>("--account") { Description = "The account to set up", DefaultValueFactory = _ => "default" };
        var nonInteractive = new Option<bool>("--non-interactive") { Description = "Ask nothing; use the flags and keep everything else" };
        var generateSecret = new Option<bool>("--generate-secret") { Description = "Generate a webhookSecret (Open Builder sends it as a header)" };
        var allowFrom = new Option<string[]>("--allow-from") { Description = "Allowed user ids (for dmPolicy allowlist)", AllowMultipleArgumentsPerToken = true };
        Field[] fields =
        [
            new("name", "Bot name", new("--name") { Description = "A name for this account" }),
            new("adminKey", "Kakao REST API key (adminKey)", new("--admin-key") { Description = "Kakao Developers REST API key" }, Secret: true),
            new("channelId", "Kakao channel id", new("--channel-id") { Description = "Kakao Business channel id" }),
            new("botId", "Open Builder bot id (Event API)", new("--bot-id") { Description = "Open Builder bot id" }),
            new("senderKey", "Friend Talk sender key", new("--sender-key") { Description = "NHN sender key" }, Secret: true),
            new("toastAppKey", "NHN Cloud app key", new("--toast-app-key") { Description = "NHN Cloud app key" }, Secret: true),
            new("toastSecretKey", "NHN Cloud secret key", new("--toast-secret-key") { Description = "NHN Cloud secret key" }, Secret: true),
            new("webhookPort", "Webhook port", new("--port") { Description = "Webhook port (default 8788)" }),
            new("webhookPath", "Webhook path", new("--path") { Description = "Webhook path (default /kakao/webhook)" }),
            new("webhookSecretHeader", "Secret header name", new("--secret-header") { Description = "Header carrying the webhook secret (default X-Moltbot-Webhook-Secret)" }),
            new("webhookSecret", "Webhook secret (empty: none)", new("--secret") { Description = "The webhook secret itself" }, Secret: true),
            new("dmPolicy", "DM policy (open | pairing | allowlist | disabled)", new("--dm-policy") { Description = "open (default) | pairing | allowlist | disabled" }),
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
            root = exists
                ? JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions
                  {
                      CommentHandling = JsonCommentHandling.Skip,
                      AllowTrailingCommas = true,
                  })?.AsObject() ?? new JsonObject()
                : new JsonObject();
        }
        catch (JsonException ex)
        {
            console.Error.WriteLine($"{path} is not JSON with comments ({ex.Message}); fix it first, nothing was changed.");
            return ExitCodes.InvalidInput;
        }

        var kakao = Child(Child(root, "channels"), "kakao");
        var account = Child(Child(kakao, "accounts"), accountId);
        var interactive = console.IsInteractive && !nonInteractive;
        if (interactive)
        {
            console.Out.WriteLine($"Setting up KakaoTalk account '{accountId}' in {path}. Press Enter to keep the value in brackets.");
        }
        foreach (var (field, value) in given)
        {
            var answer = value ?? (interactive ? Ask(console, field, account[field.Key]) : null);
            if (answer is null)
            {
                continue;
            }
            if (answer.Length == 0)
            {
                account.Remove(field.Key);
            }
            else if (field.Key == "webhookPort")
            {
                if (!int.TryParse(answer, out var port))
                {
                    console.Error.WriteLine($"--port '{answer}' is not a number (1-65535).");
                    return ExitCodes.InvalidInput;
                }
                account[field.Key] = port;
            }
            else
            {
                account[field.Key] = answer;
            }
        }
        if (generateSecret)
        {
            account["webhookSecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
        if (allowFrom is { Length: > 0 })
        {
            account["allowFrom"] = new JsonArray(allowFrom.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
        }
        account["enabled"] ??= true;

        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        MoltbotConfig config;
        try
        {
            config = MoltbotConfigLoader.Parse(text, path, console.Environment);
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

        var home = console.HomeDirectory;
        var state = MoltbotPaths.KakaoStateDirectory(console.Environment, home, path);
        if (GatewayRunCommand.FindProject(console.WorkingDirectory) is { } appHost)
        {
            GatewayRunCommand.Record(state, appHost);
            console.Out.WriteLine($"Recorded the AppHost for 'moltbot gateway run': {appHost}");
        }
        // A secret the user did not set is generated now, so Open Builder can be set up before the first start.
        config = WebhookSecretStore.Apply(config, state);
        PrintOpenBuilderSteps(console.Out, config.Kakao.FindAccount(accountId)!);
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

    private static string? Ask(CliConsole console, Field field, JsonNode? current)
    {
        var shown = current is null ? "" : field.Secret ? " [set]" : $" [{current}]";
        console.Out.Write($"{field.Prompt}{shown}: ");
        var line = console.In.ReadLine();
        return string.IsNullOrWhiteSpace(line) ? null : line.Trim();
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

    private static void PrintOpenBuilderSteps(TextWriter output, KakaoAccountConfig account)
    {
        output.WriteLine();
        output.WriteLine("Next, in Kakao i Open Builder (https://i.kakao.com):");
        output.WriteLine($"1. 스킬 → 스킬 생성: URL http://<your-server>:{account.WebhookPort}{account.WebhookPath}");
        // A secret the user typed or asked to generate is shown (it is in the config file anyway); a generated one
        // only by where it is, so it never lands in a terminal log unasked.
        output.WriteLine($"   {StatusCommand.SecretHeaderStep(account, showValue: account.WebhookSecretSource == "config")}");
        output.WriteLine("2. 시나리오: connect the skill to the fallback block (폴백 블록), then 배포 (deploy).");
        output.WriteLine($"3. On a laptop, expose the port with a tunnel: 'ngrok http {account.WebhookPort}' or " +
                         $"'cloudflared tunnel --url http://localhost:{account.WebhookPort}', and use its https URL + {account.WebhookPath}.");
        output.WriteLine("   A tunnel eats into Kakao's 5-second budget; answers leave within replyDeadlineMs (4 s).");
        output.WriteLine("4. Start the gateway: moltbot gateway run");
    }
}
