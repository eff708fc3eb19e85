using System.Text.Json;
using KakaoAspire.Moltbot.Config.Parsing;

namespace KakaoAspire.Moltbot.Config;

/// <summary>Finds, reads and validates the config file. Nothing starts on an invalid config.</summary>
public static class MoltbotConfigLoader
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static MoltbotConfig Load(MoltbotConfigLoadOptions? options = null)
    {
        options ??= new MoltbotConfigLoadOptions();
        var path = options.Path ?? MoltbotPaths.ResolveConfigPath(options.Environment, options.HomeDirectory);
        if (path is null)
        {
            var searched = string.Join(", ", MoltbotPaths.CandidateConfigPaths(options.HomeDirectory));
            return Build("{}", null, options.Environment,
                $"No config file found ({MoltbotPaths.ConfigPathVariable} and {MoltbotPaths.OpenClawConfigPathVariable} are not set; looked for {searched}); " +
                $"using the defaults: one account \"{KakaoAccountConfig.DefaultId}\" on port {KakaoAccountConfig.DefaultWebhookPort} at {KakaoAccountConfig.DefaultWebhookPath}.");
        }

        if (!File.Exists(path))
        {
            var variable = MoltbotPaths.ConfigPathVariableInUse(options.Environment) ?? MoltbotPaths.ConfigPathVariable;
            var why = options.Path is null
                ? $"{variable} points to this file but it does not exist; create it or unset {variable}"
                : "the config file does not exist; create it or pass an existing path";
            throw new MoltbotConfigException([new ConfigError(path, why)], path);
        }

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MoltbotConfigException([new ConfigError(path, $"cannot read the config file: {ex.Message}")], path);
        }

        return Build(json, path, options.Environment, null);
    }

    public static MoltbotConfig Parse(string json, string? sourcePath, Func<string, string?> environment) =>
        Build(json, sourcePath, environment, null);

    private static MoltbotConfig Build(string json, string? sourcePath, Func<string, string?> environment, string? warning)
    {
        using var document = ParseDocument(json, sourcePath);
        var root = document.RootElement;
        var context = new ConfigContext(environment);
        if (warning is not null)
        {
            context.Warnings.Add(warning);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            context.TypeError("(root)", "an object such as {\"channels\": {\"kakao\": {…}}}", root);
            throw new MoltbotConfigException(context.Errors, sourcePath);
        }

        var gateway = MoltbotSectionsParser.Gateway(root, context);
        var channels = context.Object(ConfigContext.Property(root, "channels"), "channels");
        var kakao = KakaoSectionParser.Parse(ConfigContext.Property(channels, "kakao"), gateway.Port, context);
        var agents = AgentsParser.Parse(ConfigContext.Property(root, "agents"), context);
        var bindings = BindingsParser.Parse(root, context);
        var session = MoltbotSectionsParser.Session(root, context);
        BindingsParser.WarnAboutUnknownAgents(bindings, agents, kakao.MoltbotGateway.Url, context);
        if (!kakao.EnabledAccounts.Any())
        {
            context.Warnings.Add("channels.kakao: every account is disabled, so no Kakao webhook will listen");
        }

        if (context.Errors.Count > 0)
        {
            throw new MoltbotConfigException(context.Errors, sourcePath);
        }

        return new MoltbotConfig
        {
            SourcePath = sourcePath,
            Gateway = gateway,
            Kakao = kakao,
            Agents = agents,
            Bindings = bindings,
            Session = session,
            Warnings = context.Warnings.ToList(),
        };
    }

    private static JsonDocument ParseDocument(string json, string? sourcePath)
    {
        // An empty file is an empty config, not a syntax error.
        if (string.IsNullOrWhiteSpace(json))
        {
            json = "{}";
        }

        var where = sourcePath ?? "(config)";
        string plain;
        try
        {
            // Moltbot reads its config as JSON5; rewritten as JSON here, errors still point into the file as written.
            plain = Json5Text.ToJson(json);
        }
        catch (Json5SyntaxException ex)
        {
            throw new MoltbotConfigException(
            [
                new ConfigError(where,
                    $"line {ex.Line}, column {ex.Column}: {ex.Problem}. The config file is JSON5, as Moltbot reads it " +
                    "(keys with or without quotes, 'single' or \"double\" quotes, // comments and trailing commas are all fine)."),
            ], sourcePath);
        }

        try
        {
            return JsonDocument.Parse(plain, JsonOptions);
        }
        catch (JsonException ex)
        {
            // Json5Text writes only valid JSON; this would be its bug, still reported without the file's content.
            throw new MoltbotConfigException([new ConfigError(where, $"the config could not be read as JSON ({ex.Message})")], sourcePath);
        }
    }
}
