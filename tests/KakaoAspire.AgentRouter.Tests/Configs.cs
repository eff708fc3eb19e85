using System.Text.Json.Nodes;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>Moltbot config files for tests, in the JSON of DESIGN's config contract.</summary>
public static class Configs
{
    public const string ApiKey = "sk-test-secret-never-logged";

    public static string Builtin(int timeoutSeconds = 30) => new JsonObject
    {
        ["channels"] = Channels(timeoutSeconds),
    }.ToJsonString();

    /// <summary>The default agent "main" is an OpenAI-compatible one pointing at <paramref name="endpoint"/>.</summary>
    public static string OpenAI(string endpoint, int timeoutSeconds = 30, string? systemPrompt = "너는 친절한 테스트 비서야.",
        string[]? agentRecipients = null, string? apiKey = ApiKey) => new JsonObject
    {
        ["channels"] = Channels(timeoutSeconds, agentRecipients),
        ["agents"] = new JsonObject
        {
            ["list"] = new JsonArray(new JsonObject
            {
                ["id"] = "main",
                ["default"] = true,
                ["systemPrompt"] = systemPrompt,
                ["model"] = new JsonObject { ["provider"] = "openai", ["endpoint"] = endpoint, ["name"] = "fake-model", ["apiKey"] = apiKey },
            }),
        },
    }.ToJsonString();

    private static JsonObject Channels(int timeoutSeconds, string[]? agentRecipients = null) => new()
    {
        ["kakao"] = new JsonObject
        {
            ["accounts"] = new JsonObject
            {
                ["default"] = new JsonObject
                {
                    ["timeoutSeconds"] = timeoutSeconds,
                    ["outbound"] = new JsonObject
                    {
                        ["agentRecipients"] = new JsonArray((agentRecipients ?? []).Select(r => (JsonNode)r!).ToArray()),
                    },
                },
            },
        },
    };
}
