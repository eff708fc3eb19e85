using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace KakaoAspire.Reliability.Tests;

/// <summary>One skill request as the client (Kakao) saw it: status, body, and the time to the last byte on loopback.</summary>
public sealed record SkillReply(HttpStatusCode Status, JsonNode? Body, string Raw, TimeSpan Elapsed)
{
    public string FirstText => Skill.Texts(Body).FirstOrDefault() ?? "";

    public bool UseCallback => Body?["useCallback"]?.GetValue<bool>() == true;
}

/// <summary>Builds skill requests from the real-shaped fixture and posts them through the edge.</summary>
public static class Skill
{
    public const string StillThinking = "답변을 아직 준비하고 있어요. 잠시 후 '답변 확인'을 눌러 주세요.";
    public const string AgentFailed = "죄송해요, 지금은 답변을 만들 수 없어요. 잠시 후 다시 말씀해 주세요.";

    private static readonly string Fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "skill-request-basic.json"));

    public static JsonObject Payload(string utterance, string plusfriendUserKey, string? callbackUrl = null)
    {
        var payload = JsonNode.Parse(Fixture)!.AsObject();
        var user = payload["userRequest"]!["user"]!.AsObject();
        user["id"] = "bot-" + plusfriendUserKey;
        user["properties"]!["plusfriendUserKey"] = plusfriendUserKey;
        payload["userRequest"]!["utterance"] = utterance;
        if (callbackUrl is not null)
        {
            payload["userRequest"]!["callbackUrl"] = callbackUrl;
        }
        return payload;
    }

    public static string NewUser(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    public static async Task<SkillReply> PostAsync(HttpClient client, string path, JsonObject payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var started = Stopwatch.GetTimestamp();
        // ConfigureAwait(false): under 50 concurrent requests the test framework's own context must not delay the clock.
        using var response = await client.SendAsync(request).WaitAsync(ReliabilityApp.RequestTimeout).ConfigureAwait(false);
        var raw = await response.Content.ReadAsStringAsync().WaitAsync(ReliabilityApp.RequestTimeout).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        JsonNode? body = null;
        try
        {
            body = raw.Length == 0 ? null : JsonNode.Parse(raw);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return new SkillReply(response.StatusCode, body, raw, elapsed);
    }

    /// <summary>The webhook's own per-request figure ("answered in N ms" from its arrival), for an account, from its log.</summary>
    public static IReadOnlyList<double> ServerSideMs(IEnumerable<string> webhookLog, string account) => webhookLog
        .Select(line => System.Text.RegularExpressions.Regex.Match(line, $"Skill request for account {account} answered in (\\d+) ms"))
        .Where(m => m.Success)
        .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
        .ToList();

    public static IReadOnlyList<string> Texts(JsonNode? skillResponse) =>
        skillResponse?["template"]?["outputs"]?.AsArray()
            .Select(o => o?["simpleText"]?["text"]?.GetValue<string>())
            .OfType<string>()
            .ToList() ?? [];
}

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; returns whether it held.</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(200));
        }
    }

    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan timeout) => TrueAsync(() => Task.FromResult(condition()), timeout);
}
