using System.CommandLine;
using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Moltbot.Config.Parsing;

namespace KakaoAspire.Cli;

/// <summary>
/// Tab completion of <c>--account</c> from the account ids in the config file. Read from the file's text, not
/// through the loader: completion must work while a ${VAR} the file names is not set in this shell.
/// </summary>
public static class AccountCompletions
{
    public static void AddTo<T>(Option<T> option, Option<string?> config, CliConsole console) =>
        option.CompletionSources.Add(context =>
            AccountIds(context.ParseResult.GetValue(config), console).Select(id => new System.CommandLine.Completions.CompletionItem(id)));

    public static IReadOnlyList<string> AccountIds(string? configPath, CliConsole console)
    {
        try
        {
            var path = configPath ?? MoltbotPaths.ResolveConfigPath(console.Environment, console.HomeDirectory);
            if (path is null || !File.Exists(path))
            {
                return [];
            }
            var root = JsonNode.Parse(Json5Text.ToJson(File.ReadAllText(path)));
            return root?["channels"]?["kakao"]?["accounts"] is JsonObject accounts ? [.. accounts.Select(a => a.Key)] : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Json5SyntaxException or System.Text.Json.JsonException)
        {
            // A broken file completes nothing; the command itself says what is wrong.
            return [];
        }
    }
}
