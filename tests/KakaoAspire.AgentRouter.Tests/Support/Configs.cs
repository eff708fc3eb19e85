using System.Text.Json.Nodes;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>Moltbot config files for tests, in the JSON of docs/contracts.md#the-config-file.</summary>
public static class Configs
{
    public const string ApiKey = "sk-test-secret-never-logged";

    public static string Builtin(int timeoutSeconds = 30) => new JsonObject
    {
        ["channels"] = Channels(timeoutSeconds),
    }.ToJsonString();

    /// <summary>The default agent "main" is an OpenAI-compatible one pointing at <paramref name="endpoint"/>.</summary>
    public static string OpenAI(string endpoint, int timeoutSeconds = 30, string? systemPrompt = "너는 친절한 테스트 비서야.",
        string[]? agentRecipients = null, string? apiKey = ApiKey, string modelName = "fake-model",
        int agentSendsPerTurn = 3, int agentSendsPerUserPerDay = 20) => new JsonObject
    {
        ["channels"] = Channels(timeoutSeconds, agentRecipients, agentSendsPerTurn, agentSendsPerUserPerDay),
        ["agents"] = new JsonObject
        {
            ["list"] = new JsonArray(new JsonObject
            {
                ["id"] = "main",
                ["default"] = true,
                ["systemPrompt"] = systemPrompt,
                ["model"] = new JsonObject { ["provider"] = "openai", ["endpoint"] = endpoint, ["name"] = modelName, ["apiKey"] = apiKey },
            }),
        },
    }.ToJsonString();

    /// <summary>
    /// The default agent "kakao" runs in a Moltbot gateway as its agent <paramref name="gatewayAgentId"/>. The token goes in
    /// <c>gateway.auth.token</c> (the default credential) unless <paramref name="channelToken"/> says otherwise.
    /// </summary>
    /// <summary>Agent "main" lives in the OpenClaw gateway at <paramref name="gatewayUrl"/>, reached by <paramref name="transport"/>.</summary>
    public static string OpenClaw(string gatewayUrl, string authToken, string transport)
    {
        var channels = Channels(30);
        channels["kakao"]!["moltbotGateway"] = new JsonObject { ["url"] = gatewayUrl, ["transport"] = transport };
        return new JsonObject
        {
            ["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = authToken } },
            ["channels"] = channels,
            ["agents"] = new JsonObject
            {
                ["list"] = new JsonArray(new JsonObject
                {
                    ["id"] = "main", ["default"] = true, ["model"] = new JsonObject { ["provider"] = "moltbot", ["agentId"] = "main" },
                }),
            },
        }.ToJsonString();
    }

    public static string Moltbot(string gatewayUrl, string? authToken, string gatewayAgentId = "helper", int timeoutSeconds = 30,
        string? channelToken = null, string? systemPrompt = null)
    {
        var channels = Channels(timeoutSeconds);
        channels["kakao"]!["moltbotGateway"] = channelToken is null
            ? new JsonObject { ["url"] = gatewayUrl }
            : new JsonObject { ["url"] = gatewayUrl, ["token"] = channelToken };
        var root = new JsonObject
        {
            ["channels"] = channels,
            ["agents"] = new JsonObject
            {
                ["list"] = new JsonArray(new JsonObject
                {
                    ["id"] = "kakao",
                    ["default"] = true,
                    ["model"] = new JsonObject { ["provider"] = "moltbot", ["agentId"] = gatewayAgentId },
                }),
            },
        };
        if (systemPrompt is not null)
        {
            root["agents"]!["list"]![0]!["systemPrompt"] = systemPrompt;
        }
        if (authToken is not null)
        {
            root["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = authToken } };
        }
        return root.ToJsonString();
    }

    private static JsonObject Channels(int timeoutSeconds, string[]? agentRecipients = null, int agentSendsPerTurn = 3,
        int agentSendsPerUserPerDay = 20) => new()
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
                        ["agentSendsPerTurn"] = agentSendsPerTurn,
                        ["agentSendsPerUserPerDay"] = agentSendsPerUserPerDay,
                    },
                },
            },
        },
    };
}
