using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KakaoAspire.Contracts;
using KakaoAspire.Kakao.Skill;
using KakaoAspire.Moltbot.Config;
using SkillClient = KakaoAspire.TestSupport.Skill;

namespace KakaoAspire.Webhook.Tests;

/// <summary>
/// Builds skill requests as Open Builder sends them, as they leave the edge (which sets the account header), and sends
/// them with the tests' one skill client (<see cref="SkillClient"/>).
/// </summary>
public static class Skill
{
    public static JsonObject Payload(string userId, string utterance, string? callbackUrl = null, JsonObject? clientExtra = null,
        string? plusfriendUserKey = null, string? appUserId = null) => new()
    {
        ["intent"] = new JsonObject { ["id"] = "block-1", ["name"] = "폴백 블록" },
        ["userRequest"] = new JsonObject
        {
            ["timezone"] = "Asia/Seoul",
            ["block"] = new JsonObject { ["id"] = "block-1", ["name"] = "폴백 블록" },
            ["utterance"] = utterance,
            ["lang"] = "ko",
            ["callbackUrl"] = callbackUrl,
            ["user"] = new JsonObject
            {
                ["id"] = userId,
                ["type"] = "botUserKey",
                ["properties"] = new JsonObject { ["plusfriendUserKey"] = plusfriendUserKey, ["appUserId"] = appUserId },
            },
        },
        ["bot"] = new JsonObject { ["id"] = "test-bot!", ["name"] = "테스트 봇" },
        ["action"] = new JsonObject { ["id"] = "skill-1", ["name"] = "moltbot", ["params"] = new JsonObject(), ["clientExtra"] = clientExtra },
    };

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string account, JsonNode body, params (string Name, string Value)[] headers) =>
        PostRawAsync(client, account, body.ToJsonString(), headers);

    /// <summary>Posts as Open Builder does, with the account's webhook secret unless <paramref name="headers"/> carry one.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string account, string body, params (string Name, string Value)[] headers) =>
        SendAsync(client, account, body, headers.Any(h => h.Name.Equals(TestConfig.SecretHeader, StringComparison.OrdinalIgnoreCase))
            ? headers
            : [.. headers, (TestConfig.SecretHeader, TestConfig.SecretFor(account))]);

    /// <summary>Posts with no webhook secret at all, as a caller who does not know it would.</summary>
    public static Task<HttpResponseMessage> PostWithoutSecretAsync(HttpClient client, string account, JsonNode body) =>
        SendAsync(client, account, body.ToJsonString(), []);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string account, string body, (string Name, string Value)[] headers)
    {
        using var request = SkillClient.Request(InternalPaths.Skill, body);
        request.Headers.Add(InternalHeaders.Account, account);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        // No deadline of the client's own: the tests of slow agents and deadlines decide how long they wait.
        return (await SkillClient.SendAsync(client, request, Timeout.InfiniteTimeSpan)).Response;
    }

    /// <summary>Posts and returns the parsed SkillResponse (asserting HTTP 200) and the time it took.</summary>
    public static async Task<(SkillResponse Response, TimeSpan Elapsed)> AskAsync(HttpClient client, string account, JsonNode body)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await PostAsync(client, account, body);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {json}");
        var parsed = SkillJson.DeserializeResponse(json)!;
        parsed.Validate();
        return (parsed, elapsed);
    }

    public static IReadOnlyList<string> Texts(SkillResponse response) =>
        response.Template?.Outputs.Where(o => o.SimpleText is not null).Select(o => o.SimpleText!.Text).ToList() ?? [];

    public static IReadOnlyList<string> QuickReplyLabels(SkillResponse response) =>
        response.Template?.QuickReplies?.Select(q => q.Label).ToList() ?? [];

    /// <summary>The payload of a tapped quick reply, with its messageText and extra.</summary>
    public static JsonObject Tap(string userId, QuickReply quickReply) =>
        Payload(userId, quickReply.MessageText ?? quickReply.Label, clientExtra: (JsonObject?)quickReply.Extra?.DeepClone());

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static string NewUser() => "user-" + Guid.NewGuid().ToString("N");
}
