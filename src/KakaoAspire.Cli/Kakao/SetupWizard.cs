using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KakaoAspire.Moltbot.Config;
using Spectre.Console;

namespace KakaoAspire.Cli.Kakao;

/// <summary>
/// The questions of <c>moltbot kakao setup</c> in a terminal: keys typed without echo (or written as <c>${ENV}</c>
/// references, so the key stays out of the file), choices picked from a list, the port checked as it is typed, and
/// allowFrom asked when the DM policy uses it. Enter keeps the value in brackets; a value given as a flag is not asked.
/// </summary>
public static partial class SetupWizard
{
    /// <summary>A secret key and the environment variable suggested for it.</summary>
    public sealed record SecretKey(string Key, string Prompt, string Variable);

    public static readonly IReadOnlyList<SecretKey> Keys =
    [
        new("adminKey", "Kakao REST API key (adminKey)", "KAKAO_ADMIN_KEY"),
        new("senderKey", "NHN Friend Talk sender key (senderKey)", "NHN_SENDER_KEY"),
        new("toastAppKey", "NHN Cloud app key (toastAppKey)", "NHN_APP_KEY"),
        new("toastSecretKey", "NHN Cloud secret key (toastSecretKey)", "NHN_SECRET_KEY"),
    ];

    public const string EnvChoice = "As ${ENV} references: the keys stay in your environment, the file names them";
    public const string FileChoice = "In the config file itself (the file is readable by you only)";

    public const string GenerateSecret = "Generate a new one";
    public const string KeepSecret = "Keep the current one";
    public const string TypeSecret = "Type one";
    public const string NoSecret = "None (anyone who learns the URL can call it)";

    [GeneratedRegex("^[A-Z_][A-Z0-9_]*$")]
    private static partial Regex VariableName();

    [GeneratedRegex(@"^\$\{(?<name>[A-Z_][A-Z0-9_]*)\}$")]
    private static partial Regex Reference();

    /// <summary>
    /// Asks for what the flags left open and writes the answers into <paramref name="account"/>; returns the
    /// environment variables the account now refers to.
    /// </summary>
    public static ISet<string> Run(IAnsiConsole console, JsonObject account, IReadOnlySet<string> givenKeys)
    {
        var variables = new HashSet<string>(StringComparer.Ordinal);
        AskText(console, account, givenKeys, "name", "Bot name");

        var toAsk = Keys.Where(k => !givenKeys.Contains(k.Key)).ToList();
        var useEnv = false;
        if (toAsk.Count > 0)
        {
            var picked = console.Prompt(new MultiSelectionPrompt<SecretKey>()
                .Title("Which keys do you want to set now? [grey](Space picks, Enter goes on; the others stay as they are)[/]")
                .NotRequired()
                .UseConverter(k => Markup.Escape(k.Prompt + (account[k.Key] is null ? "" : " [set]")))
                .AddChoices(toAsk));
            if (picked.Count > 0)
            {
                useEnv = console.Prompt(new SelectionPrompt<string>()
                    .Title("How should the keys be written?")
                    .UseConverter(Markup.Escape)
                    .AddChoices(EnvChoice, FileChoice)) == EnvChoice;
            }
            foreach (var key in picked)
            {
                AskSecret(console, account, key.Key, key.Prompt, key.Variable, useEnv, variables);
            }
        }

        AskText(console, account, givenKeys, "channelId", "Kakao channel id");
        AskText(console, account, givenKeys, "botId", "Open Builder bot id (for the Event API)");
        if (!givenKeys.Contains("webhookPort"))
        {
            account["webhookPort"] = console.Prompt(new TextPrompt<int>("Webhook port")
                .DefaultValue(account["webhookPort"]?.GetValue<int>() ?? KakaoAccountConfig.DefaultWebhookPort)
                .ValidationErrorMessage("[red]Type a port number from 1 to 65535.[/]")
                .Validate(port => port is >= 1 and <= 65535 ? ValidationResult.Success() : ValidationResult.Error("[red]A port is from 1 to 65535.[/]")));
        }
        if (!givenKeys.Contains("webhookPath"))
        {
            account["webhookPath"] = console.Prompt(new TextPrompt<string>("Webhook path")
                .DefaultValue(account["webhookPath"]?.ToString() ?? KakaoAccountConfig.DefaultWebhookPath)
                .Validate(path => path.StartsWith('/') && !path.Contains(' ') ? ValidationResult.Success() : ValidationResult.Error("[red]A path starts with / and has no spaces, e.g. /kakao/webhook.[/]")));
        }
        AskText(console, account, givenKeys, "webhookSecretHeader", "Header carrying the webhook secret", KakaoAccountConfig.DefaultWebhookSecretHeader);
        if (!givenKeys.Contains("webhookSecret"))
        {
            AskWebhookSecret(console, account, useEnv, variables);
        }

        if (!givenKeys.Contains("dmPolicy"))
        {
            var current = account["dmPolicy"]?.ToString() ?? "open";
            var policies = new[] { "open", "pairing", "allowlist", "disabled" }.OrderBy(p => p == current ? 0 : 1).ToArray();
            account["dmPolicy"] = console.Prompt(new SelectionPrompt<string>()
                .Title($"Who may talk to the bot? [grey](now: {Markup.Escape(current)})[/]")
                .UseConverter(p => Markup.Escape(p + " — " + DmPolicyText(p)))
                .AddChoices(policies));
        }
        var policy = account["dmPolicy"]?.ToString();
        if (!givenKeys.Contains("allowFrom") && policy is "allowlist" or "pairing")
        {
            AskAllowFrom(console, account, required: policy == "allowlist");
        }

        if (!givenKeys.Contains("phoneProvider"))
        {
            var outbound = account["outbound"] as JsonObject ?? [];
            var current = outbound["phoneProvider"]?.ToString() ?? "friendtalk-compat";
            outbound["phoneProvider"] = console.Prompt(new SelectionPrompt<string>()
                .Title("Proactive messages to phone numbers go through")
                .UseConverter(p => Markup.Escape(p + " — " + ProviderText(p)))
                .AddChoices(new[] { "friendtalk-compat", "brand-message" }.OrderBy(p => p == current ? 0 : 1)));
            account["outbound"] = outbound;
        }

        foreach (var value in account.Select(p => p.Value?.ToString() ?? ""))
        {
            if (Reference().Match(value) is { Success: true } match)
            {
                variables.Add(match.Groups["name"].Value);
            }
        }
        return variables;
    }

    private static void AskText(IAnsiConsole console, JsonObject account, IReadOnlySet<string> givenKeys, string key, string prompt, string? fallback = null)
    {
        if (givenKeys.Contains(key))
        {
            return;
        }
        var current = account[key]?.ToString() ?? fallback;
        var text = new TextPrompt<string>(Markup.Escape(prompt)).AllowEmpty();
        if (current is not null)
        {
            text.DefaultValue(current);
        }
        var answer = console.Prompt(text).Trim();
        if (answer.Length > 0)
        {
            account[key] = answer;
        }
    }

    private static void AskSecret(IAnsiConsole console, JsonObject account, string key, string prompt, string variable, bool useEnv, HashSet<string> variables)
    {
        if (useEnv)
        {
            var current = account[key]?.ToString() is { } value && Reference().Match(value) is { Success: true } m ? m.Groups["name"].Value : variable;
            var name = console.Prompt(new TextPrompt<string>(Markup.Escape($"{prompt}: environment variable"))
                .DefaultValue(current)
                .Validate(n => VariableName().IsMatch(n.Trim()) ? ValidationResult.Success() : ValidationResult.Error("[red]Use capitals, digits and _ (e.g. KAKAO_ADMIN_KEY).[/]"))).Trim();
            account[key] = "${" + name + "}";
            variables.Add(name);
            return;
        }
        var keep = account[key] is null ? "" : " [grey](Enter keeps the current one)[/]";
        var secret = console.Prompt(new TextPrompt<string>(Markup.Escape(prompt) + keep).Secret().AllowEmpty()).Trim();
        if (secret.Length > 0)
        {
            account[key] = secret;
        }
    }

    private static void AskWebhookSecret(IAnsiConsole console, JsonObject account, bool useEnv, HashSet<string> variables)
    {
        var choices = account["webhookSecret"] is null
            ? new[] { GenerateSecret, TypeSecret, NoSecret }
            : new[] { KeepSecret, GenerateSecret, TypeSecret, NoSecret };
        var choice = console.Prompt(new SelectionPrompt<string>()
            .Title("Webhook secret [grey](Open Builder sends it in the header; calls without it are refused)[/]")
            .UseConverter(Markup.Escape)
            .AddChoices(choices));
        switch (choice)
        {
            case GenerateSecret:
                account["webhookSecret"] = NewSecret();
                break;
            case TypeSecret:
                AskSecret(console, account, "webhookSecret", "Webhook secret", "KAKAO_WEBHOOK_SECRET", useEnv, variables);
                break;
            case NoSecret:
                account.Remove("webhookSecret");
                break;
        }
    }

    private static void AskAllowFrom(IAnsiConsole console, JsonObject account, bool required)
    {
        var current = account["allowFrom"] is JsonArray list ? string.Join(' ', list.Select(v => v?.ToString())) : null;
        var prompt = new TextPrompt<string>(required
                ? "Allowed Kakao user ids [grey](space or comma separated; /whoami in KakaoTalk shows yours)[/]"
                : "Users let in without pairing [grey](optional; space or comma separated)[/]")
            .AllowEmpty()
            .Validate(text => !required || Ids(text).Length > 0
                ? ValidationResult.Success()
                : ValidationResult.Error("[red]allowlist lets in only these users: give at least one id.[/]"));
        if (current is not null)
        {
            prompt.DefaultValue(current);
        }
        var ids = Ids(console.Prompt(prompt));
        if (ids.Length > 0)
        {
            account["allowFrom"] = new JsonArray([.. ids.Select(id => (JsonNode)JsonValue.Create(id)!)]);
        }
    }

    private static string[] Ids(string text) =>
        text.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string DmPolicyText(string policy) => policy switch
    {
        "open" => "anyone who adds the channel",
        "pairing" => "strangers get a code you approve with 'moltbot pairing approve kakao <code>'",
        "allowlist" => "only the user ids you list",
        _ => "nobody (the bot answers with deniedText)",
    };

    private static string ProviderText(string provider) => provider switch
    {
        "brand-message" => "NHN Brand Message free-form API",
        _ => "NHN Friend Talk API (sent as Brand Message where Kakao requires it)",
    };
}
