using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace KakaoAspire.TestSupport;

/// <summary>One skill request as the client (Kakao) saw it: the response, its body, and the time to the last byte.</summary>
public sealed record SkillReply(HttpResponseMessage Response, JsonNode? Body, string Raw, TimeSpan Elapsed)
{
    public HttpStatusCode Status => Response.StatusCode;

    public string FirstText => Skill.FirstText(Body);

    public bool UseCallback => Body?["useCallback"]?.GetValue<bool>() == true;

    public void Deconstruct(out HttpResponseMessage response, out JsonNode? body)
    {
        response = Response;
        body = Body;
    }
}

/// <summary>
/// The one skill client of the tests: builds skill requests from the real-shaped payload, each for a user of its own,
/// posts them (through the edge in whole-app tests, to the webhook's internal path in the webhook's own tests) and reads
/// the answer.
/// </summary>
public static class Skill
{
    /// <summary>How long a whole-app test waits for a skill request's whole answer.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public const string StillThinking = "답변을 아직 준비하고 있어요. 잠시 후 '답변 확인'을 눌러 주세요.";
    public const string AgentFailed = "죄송해요, 지금은 답변을 만들 수 없어요. 잠시 후 다시 말씀해 주세요.";

    private static readonly string Fixture = ReadFixture();

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

    public static async Task<SkillReply> PostAsync(
        HttpClient client, string path, JsonObject payload, Action<HttpRequestMessage>? configure = null, TimeSpan? timeout = null)
    {
        using var request = Request(path, payload.ToJsonString());
        configure?.Invoke(request);
        return await SendAsync(client, request, timeout).ConfigureAwait(false);
    }

    /// <summary>A POST of <paramref name="json"/> as Open Builder sends it.</summary>
    public static HttpRequestMessage Request(string path, string json) =>
        new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Sends and reads the whole answer (the response's content stays readable), timing it to the last byte.</summary>
    public static async Task<SkillReply> SendAsync(HttpClient client, HttpRequestMessage request, TimeSpan? timeout = null)
    {
        var limit = timeout ?? RequestTimeout;
        var started = Stopwatch.GetTimestamp();
        // ConfigureAwait(false): under 50 concurrent requests the test framework's own context must not delay the clock.
        var response = await client.SendAsync(request).WaitAsync(limit).ConfigureAwait(false);
        var raw = await response.Content.ReadAsStringAsync().WaitAsync(limit).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        JsonNode? body = null;
        try
        {
            body = raw.Length == 0 ? null : JsonNode.Parse(raw);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return new SkillReply(response, body, raw, elapsed);
    }

    public static string FirstText(JsonNode? skillResponse) => Texts(skillResponse).FirstOrDefault() ?? "";

    public static IReadOnlyList<string> Texts(JsonNode? skillResponse) =>
        skillResponse?["template"]?["outputs"] is JsonArray outputs
            ? outputs.Select(o => o?["simpleText"]?["text"]?.GetValue<string>()).OfType<string>().ToList()
            : [];

    /// <summary>The webhook's own per-request figure ("answered in N ms" from its arrival), for an account, from its log.</summary>
    public static IReadOnlyList<double> ServerSideMs(IEnumerable<string> webhookLog, string account) => webhookLog
        .Select(line => System.Text.RegularExpressions.Regex.Match(line, $"Skill request for account {account} answered in (\\d+) ms"))
        .Where(m => m.Success)
        .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
        .ToList();

    /// <summary>The real-shaped skill request the Kakao library's tests read (embedded here, one copy).</summary>
    public static string ReadFixture()
    {
        using var stream = typeof(Skill).Assembly.GetManifestResourceStream("skill-request-basic.json")
            ?? throw new InvalidOperationException("skill-request-basic.json is not embedded in " + typeof(Skill).Assembly.GetName().Name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
