using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace KakaoAspire.Kakao.Skill;

/// <summary>Reads skill requests and writes skill responses the way Open Builder expects them.</summary>
public static class SkillJson
{
    private static readonly SkillJsonContext Context = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        // The default encoder escapes every non-ASCII character, turning each Hangul syllable into \uXXXX
        // (three times the bytes). Relaxed escaping is safe here because the output is only ever a JSON
        // body read by Open Builder, never embedded in HTML or a script; quotes and control characters
        // are still escaped, so the JSON stays valid. Characters outside the BMP (emoji) are still written as
        // \uD83D\uDE00 pairs by this encoder, which is equally valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Options matching the wire format, for callers that serialize these types themselves.</summary>
    public static JsonSerializerOptions Options => Context.Options;

    public static JsonTypeInfo<SkillPayload> PayloadTypeInfo => Context.SkillPayload;
    public static JsonTypeInfo<SkillResponse> ResponseTypeInfo => Context.SkillResponse;

    public static SkillPayloadReadResult ParsePayload(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return Check(JsonSerializer.Deserialize(utf8Json, Context.SkillPayload));
        }
        catch (JsonException ex)
        {
            return InvalidJson(ex);
        }
    }

    public static SkillPayloadReadResult ParsePayload(string json)
    {
        try
        {
            return Check(JsonSerializer.Deserialize(json, Context.SkillPayload));
        }
        catch (JsonException ex)
        {
            return InvalidJson(ex);
        }
    }

    public static SkillPayloadReadResult ParsePayload(Stream utf8Json)
    {
        try
        {
            return Check(JsonSerializer.Deserialize(utf8Json, Context.SkillPayload));
        }
        catch (JsonException ex)
        {
            return InvalidJson(ex);
        }
    }

    public static async ValueTask<SkillPayloadReadResult> ParsePayloadAsync(Stream utf8Json, CancellationToken cancellationToken = default)
    {
        try
        {
            return Check(await JsonSerializer.DeserializeAsync(utf8Json, Context.SkillPayload, cancellationToken));
        }
        catch (JsonException ex)
        {
            return InvalidJson(ex);
        }
    }

    /// <summary>Validates the response against Kakao's limits, then writes it as UTF-8 JSON.</summary>
    /// <exception cref="KakaoLimitException">The response would be rejected by Kakao.</exception>
    public static byte[] SerializeToUtf8Bytes(SkillResponse response)
    {
        response.Validate();
        return JsonSerializer.SerializeToUtf8Bytes(response, Context.SkillResponse);
    }

    /// <inheritdoc cref="SerializeToUtf8Bytes(SkillResponse)"/>
    public static string Serialize(SkillResponse response)
    {
        response.Validate();
        return JsonSerializer.Serialize(response, Context.SkillResponse);
    }

    /// <inheritdoc cref="SerializeToUtf8Bytes(SkillResponse)"/>
    public static Task SerializeAsync(Stream utf8Json, SkillResponse response, CancellationToken cancellationToken = default)
    {
        response.Validate();
        return JsonSerializer.SerializeAsync(utf8Json, response, Context.SkillResponse, cancellationToken);
    }

    /// <summary>Reads a SkillResponse (for tests, fakes of Open Builder, or stored answers). Does not validate.</summary>
    public static SkillResponse? DeserializeResponse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, Context.SkillResponse);

    public static SkillResponse? DeserializeResponse(string json) =>
        JsonSerializer.Deserialize(json, Context.SkillResponse);

    /// <summary>Writes a payload, e.g. to build a request in a test or a fake Open Builder.</summary>
    public static string SerializePayload(SkillPayload payload) =>
        JsonSerializer.Serialize(payload, Context.SkillPayload);

    public static CallbackResult? ParseCallbackResult(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, Context.CallbackResult);

    public static CallbackResult? ParseCallbackResult(string json) =>
        JsonSerializer.Deserialize(json, Context.CallbackResult);

    public static string SerializeCallbackResult(CallbackResult result) =>
        JsonSerializer.Serialize(result, Context.CallbackResult);

    // The only two fields a skill cannot work without (docs/kakao-skill-protocol.md#request, parsing rule).
    private static SkillPayloadReadResult Check(SkillPayload? payload)
    {
        if (payload is null)
        {
            return SkillPayloadReadResult.Fail("The request body is JSON null, not a SkillPayload object.");
        }

        var user = payload.UserRequest?.User;
        if (string.IsNullOrWhiteSpace(user?.Id))
        {
            var why = payload.UserRequest is null ? "userRequest is absent"
                : user is null ? "userRequest.user is absent"
                : "userRequest.user.id is null or empty";
            return SkillPayloadReadResult.Fail(
                $"The SkillPayload has no user id ({why}); Open Builder always sends the botUserKey in userRequest.user.id.",
                "userRequest.user.id");
        }

        if (payload.UserRequest!.Utterance is null)
        {
            return SkillPayloadReadResult.Fail(
                "The SkillPayload has no utterance: userRequest.utterance is missing or null.",
                "userRequest.utterance");
        }

        return SkillPayloadReadResult.Ok(payload);
    }

    private static SkillPayloadReadResult InvalidJson(JsonException ex)
    {
        var position = ex.LineNumber is { } line
            ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}"
            : "";
        return SkillPayloadReadResult.Fail($"The request body is not a valid SkillPayload{position}: {ex.Message}");
    }
}
