using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace KakaoAspire.Reliability.Tests;

/// <summary>One generated request: the body as sent, and how it was made (shown when a property fails).</summary>
public sealed record HostileBody(string Json, string How)
{
    public override string ToString() => $"{How}: {(Json.Length > 300 ? Json[..300] + "…" : Json)}";
}

/// <summary>Generators of hostile bodies: the real-shaped skill payload mutated, and outbound send requests.</summary>
public static class HostileBodies
{
    private static readonly string SkillFixture = Skill.ReadFixture();

    private static readonly string[] SkillPaths =
    [
        "userRequest", "userRequest.user", "userRequest.user.id", "userRequest.user.type", "userRequest.user.properties",
        "userRequest.user.properties.plusfriendUserKey", "userRequest.user.properties.appUserId", "userRequest.user.properties.isFriend",
        "userRequest.utterance", "userRequest.callbackUrl", "userRequest.block", "userRequest.block.id", "userRequest.params",
        "userRequest.lang", "userRequest.timezone", "action", "action.clientExtra", "action.params", "action.detailParams", "action.id",
        "bot", "bot.id", "intent", "intent.extra", "contexts", "flow", "extraField",
    ];

    /// <summary>Any JSON value, from the harmless to the pathological (deep nesting, huge numbers, odd strings).</summary>
    public static Gen<JsonNode?> AnyValue() => Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Elements<JsonNode?>(true, false, 0, -1, 1.5, 1e308, long.MaxValue),
        Gen.Elements("", " ", "답변 확인", "더 보기", "/reset", "\u0000", "\uD800", "null", "{", "http://127.0.0.1:1/x", new string('가', 5000))
            .Select(s => (JsonNode?)JsonValue.Create(s)),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Elements("[]", "{}", "[1,\"a\",null]", "{\"moltbot\":\"check\"}", "{\"moltbot\":\"more\",\"pages\":\"nope\"}",
                "{\"moltbot\":5}", "{\"a\":{\"b\":[{}]}}", new string('[', 70) + new string(']', 70))
            .Select(s => JsonNode.Parse(s, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 128 })));

    /// <summary>The fixture skill request with one to three mutations: a field set to any value or removed, or the text broken.</summary>
    public static Arbitrary<HostileBody> SkillPayloads()
    {
        var setOrRemove =
            from path in Gen.Elements(SkillPaths)
            from remove in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
            from value in AnyValue()
            select (Func<JsonObject, string>)(payload => Apply(payload, path, remove, value));
        var mutations =
            from count in Gen.Choose(1, 3)
            from edits in setOrRemove.ArrayOf(count)
            from user in Gen.Choose(0, 1_000_000)
            select Build(edits, user);
        var broken =
            from body in mutations
            from how in Gen.Elements("truncated", "byte inserted", "root replaced")
            from cut in Gen.Choose(0, 10_000)
            from value in AnyValue()
            select Break(body, how, cut, value);
        return Gen.Frequency((4, mutations), (1, broken)).ToArbitrary();
    }

    /// <summary>Outbound send requests: each field absent, valid, or of a wrong type or shape; sometimes not an object at all.</summary>
    public static Arbitrary<HostileBody> SendRequests()
    {
        Gen<JsonNode?> Field(params object?[] valid) =>
            Gen.Frequency((3, Gen.Elements(valid).Select(v => v is null ? null : JsonValue.Create(v) as JsonNode)), (2, AnyValue()));
        var button =
            from name in Field("열기", "", new string('a', 40))
            from url in Field("https://example.com/a", "javascript:alert(1)", "not a url")
            select (JsonNode)new JsonObject { ["name"] = name?.DeepClone(), ["url"] = url?.DeepClone() };
        var fields = new (string Name, Gen<JsonNode?> Value)[]
        {
            ("channel", Field("kakao", "KAKAO", "sms")),
            ("accountId", Field("default", "capped", "nope", "")),
            ("to", Field("010-1234-5678", "+82 10 1234 5678", "kakao:botUserKey:u1", "kakao:user:", "02-123-4567", "010-1234-567")),
            ("message", Field("안녕하세요", "", new string('가', 1001))),
            ("buttons", Gen.OneOf(
                from n in Gen.Choose(0, 7) from list in button.ArrayOf(n) select (JsonNode?)new JsonArray([.. list.Select(b => b.DeepClone())]),
                AnyValue())),
            ("imageUrl", Field("https://example.com/i.png", "ftp://x", null)),
            ("mediaUrl", Field("https://example.com/m.png", null)),
            ("idempotencyKey", Field("fixed-key-1", "fixed-key-2", new string('k', 300), "")),
            ("somethingElse", AnyValue()),
        };
        var objects =
            from present in Gen.ArrayOf(Gen.Elements(true, false), fields.Length)
            from values in Gen.CollectToArray(fields.Select(f => f.Value))
            from key in Gen.Choose(0, 1_000_000)
            select MakeSend(fields.Select(f => f.Name).ToArray(), present, values, key);
        var broken =
            from body in objects
            from how in Gen.Elements("truncated", "root replaced")
            from cut in Gen.Choose(0, 400)
            from value in AnyValue()
            select Break(body, how, cut, value);
        return Gen.Frequency((4, objects), (1, broken)).ToArbitrary();
    }

    private static HostileBody MakeSend(string[] names, bool[] present, JsonNode?[] values, int key)
    {
        var body = new JsonObject();
        var how = new List<string>();
        for (var i = 0; i < names.Length; i++)
        {
            if (present[i] || names[i] is "to" or "message")
            {
                body[names[i]] = values[i]?.DeepClone();
                how.Add(names[i]);
            }
        }
        if (!present[^2] && key % 2 == 0)
        {
            body["idempotencyKey"] = $"prop-{key}"; // usually a fresh key, so valid sends are accepted
        }
        return new HostileBody(body.ToJsonString(), "send with " + string.Join(",", how));
    }

    private static string Apply(JsonObject payload, string path, bool remove, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode? node = payload;
        foreach (var part in parts[..^1])
        {
            node = node is JsonObject o ? o[part] : null;
        }
        if (node is not JsonObject parent)
        {
            return $"{path} (parent not an object)";
        }
        if (remove)
        {
            parent.Remove(parts[^1]);
            return $"removed {path}";
        }
        parent[parts[^1]] = value?.DeepClone();
        return $"{path}={Short(value)}";
    }

    private static HostileBody Build(Func<JsonObject, string>[] edits, int user)
    {
        var payload = JsonNode.Parse(SkillFixture)!.AsObject();
        payload["userRequest"]!["user"]!["id"] = $"prop-user-{user}";
        var how = edits.Select(edit => edit(payload)).ToList();
        return new HostileBody(payload.ToJsonString(), string.Join("; ", how));
    }

    private static HostileBody Break(HostileBody body, string how, int cut, JsonNode? value) => how switch
    {
        "truncated" => new(body.Json[..(cut % Math.Max(1, body.Json.Length))], $"{body.How}; truncated at {cut % Math.Max(1, body.Json.Length)}"),
        "byte inserted" => new(body.Json.Insert(cut % body.Json.Length, "\u0001"), $"{body.How}; control byte at {cut % body.Json.Length}"),
        _ => new(value?.ToJsonString() ?? "null", "root replaced by " + Short(value)),
    };

    private static string Short(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}

/// <summary>
/// Hostile input (FsCheck, fixed seed, 200 cases each) against the running app: random shapes and mutations of
/// the skill payload through the edge, and random bodies to the outbound API. Never a 5xx; every 400 names the field
/// (a <c>field</c> member, or a key of <c>errors</c>) or the JSON position (the path and line of the parse error).
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class HostileInputProperties(ReliabilityApp app)
{
    private static readonly HttpClient Kakao = new();

    // Open Builder sends the account's secret header; without it every body would be a 401 before it is read.
    private readonly HttpClient _kakao = new(new WebhookSecretHandler(app.WebhookSecretFor));

    [Property(Arbitrary = [typeof(SkillArbitrary)], MaxTest = 200, Replay = "(8234501, 2024117)")]
    public bool SkillPayloadNeverGetsA5xxAndEvery400NamesTheFieldOrPosition(HostileBody body) =>
        Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{app.Port}/kakao/webhook")
            {
                Content = new StringContent(body.Json, Encoding.UTF8, "application/json"),
            };
            using var response = await _kakao.SendAsync(request).WaitAsync(ReliabilityApp.RequestTimeout);
            var text = await response.Content.ReadAsStringAsync();
            return response.StatusCode switch
            {
                HttpStatusCode.OK => IsSkillResponse(text),
                HttpStatusCode.BadRequest => NamesFieldOrPosition(text),
                _ => Fail(response.StatusCode, text),
            };
        });

    [Property(Arbitrary = [typeof(SendArbitrary)], MaxTest = 200, Replay = "(5519023, 7730411)")]
    public bool OutboundSendNeverGetsA5xxAndEvery400NamesTheField(HostileBody body) =>
        Run(async () =>
        {
            // The service itself, not through the edge: 200 requests would meet the per-IP limit there.
            var friendtalk = app.App.GetEndpoint("friendtalk", "http");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(friendtalk, "/api/v1/messages"))
            {
                Content = new StringContent(body.Json, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", ReliabilityApp.GatewayToken);
            using var response = await Kakao.SendAsync(request).WaitAsync(ReliabilityApp.RequestTimeout);
            var text = await response.Content.ReadAsStringAsync();
            return response.StatusCode switch
            {
                HttpStatusCode.Accepted or HttpStatusCode.UnprocessableEntity or HttpStatusCode.TooManyRequests => true,
                HttpStatusCode.BadRequest => NamesFieldOrPosition(text),
                _ => Fail(response.StatusCode, text),
            };
        });

    private static bool Run(Func<Task<bool>> check) => Task.Run(check).GetAwaiter().GetResult();

    private static bool Fail(HttpStatusCode status, string text) =>
        throw new Xunit.Sdk.XunitException($"HTTP {(int)status}: {text}");

    private static bool IsSkillResponse(string text)
    {
        var json = JsonNode.Parse(text);
        if (json?["version"]?.GetValue<string>() == "2.0" && json["template"]?["outputs"]?.AsArray().Count > 0)
        {
            return true;
        }
        throw new Xunit.Sdk.XunitException("200 without a SkillResponse: " + text);
    }

    /// <summary>A problem that names a field (<c>field</c>, or a key of <c>errors</c>) or where the JSON broke (its path and line).</summary>
    private static bool NamesFieldOrPosition(string text)
    {
        var problem = JsonNode.Parse(text)?.AsObject();
        var named = problem?["field"]?.GetValue<string>() is { Length: > 0 }
            || problem?["errors"] is JsonObject { Count: > 0 }
            // The JSON position, as a JSON path ("Path: $.userRequest…", "at $.to (line 1, byte 9)"), or the root itself.
            || problem?["detail"]?.GetValue<string>() is { } detail
                && (detail.Contains("$", StringComparison.Ordinal) || detail.StartsWith("The request body is JSON null", StringComparison.Ordinal));
        if (named)
        {
            return true;
        }
        throw new Xunit.Sdk.XunitException("400 that names no field or position: " + text);
    }
}

public static class SkillArbitrary
{
    public static Arbitrary<HostileBody> Bodies() => HostileBodies.SkillPayloads();
}

public static class SendArbitrary
{
    public static Arbitrary<HostileBody> Bodies() => HostileBodies.SendRequests();
}
