using System.Text;
using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Kakao.Tests;

public class SkillPayloadReadingTests
{
    [Fact]
    public void BasicFixtureExposesUserUtteranceAndStableUserId()
    {
        var payload = SkillJson.ParsePayload(Encoding.UTF8.GetBytes(Fixture.Read("skill-request-basic.json"))).Payload!;

        Assert.Equal("8f3b2c1d9e0a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5", payload.UserId);
        Assert.Equal("Xy7AbCdEfGh1", payload.StableUserId);
        Assert.Equal("내일 오전 9시에 회의 있는지 확인해줘", payload.Utterance);
        Assert.Null(payload.CallbackUrl);
        Assert.True(payload.UserRequest!.User!.Properties!.IsFriend);
        Assert.Equal("Kakaotalk.plusfriend", payload.UserRequest.Params!["surface"]);
        Assert.Equal("TEXT_INPUT", payload.Flow!.Trigger!.Type);
        Assert.Equal(1, payload.Intent!.Extra!.Reason!.Code);
        Assert.True(payload.UserRequest.User.Properties.Other!.ContainsKey("plusfriend_user_key"));
    }

    [Fact]
    public void CallbackFixtureCarriesCallbackUrlAndAppUserId()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Fixture.Read("skill-request-callback.json")));

        var payload = SkillJson.ParsePayload(stream).Payload!;

        Assert.StartsWith("https://bot-api.kakao.com/v1/bots/64f1c2a9e1b2c3d4e5f60700!/callback/", payload.CallbackUrl);
        Assert.Equal("3141592653", payload.UserRequest!.User!.Properties!.AppUserId);
    }

    [Fact]
    public async Task ParamsFixtureExposesEntitiesDetailParamsAndClientExtra()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Fixture.Read("skill-request-with-params.json")));

        var payload = (await SkillJson.ParsePayloadAsync(stream)).Payload!;

        Assert.Equal("강남", payload.Action!.Params!["sys_location"]);
        Assert.Equal("금요일", payload.Action.DetailParams!["sys_date"].Origin);
        Assert.True(payload.Action.TryGetClientExtra("source", out var source));
        Assert.Equal("quickReply", source.GetString());
        Assert.Equal("폴백 블록", payload.Flow!.Trigger!.ReferrerBlock!.Name);
    }

    [Fact]
    public void MinimalPayloadWithUnknownFieldsAndNullsIsRead()
    {
        const string json = """
            {
              "intent": null,
              "userRequest": {
                "utterance": "안녕",
                "user": { "id": "abc", "properties": null, "somethingNew": 1 },
                "isInSlotFilling": false,
                "block": null
              },
              "action": { "clientExtra": "null", "params": null },
              "skillOption": { "isTrusted": true },
              "contexts": null
            }
            """;

        var result = SkillJson.ParsePayload(json);

        Assert.True(result.Success, result.Error);
        Assert.Equal("abc", result.Payload.StableUserId);
        Assert.Null(result.Payload.Bot);
        Assert.Null(result.Payload.Flow);
        Assert.False(result.Payload.Action!.TryGetClientExtra("x", out _));
    }

    [Fact]
    public void MissingUserIdNamesTheFieldPath()
    {
        var result = SkillJson.ParsePayload("""{"userRequest":{"utterance":"hi","user":{"type":"botUserKey"}}}""");

        Assert.False(result.Success);
        Assert.Null(result.Payload);
        Assert.Equal("userRequest.user.id", result.Field);
        Assert.Contains("userRequest.user.id", result.Error);
    }

    [Fact]
    public void MissingUserRequestReportsTheUserIdPath()
    {
        var result = SkillJson.ParsePayload("""{"bot":{"id":"b"}}""");

        Assert.Equal("userRequest.user.id", result.Field);
        Assert.Contains("userRequest is absent", result.Error);
    }

    [Fact]
    public void MissingUtteranceNamesTheFieldPath()
    {
        var result = SkillJson.ParsePayload("""{"userRequest":{"user":{"id":"abc"},"utterance":null}}""");

        Assert.False(result.Success);
        Assert.Equal("userRequest.utterance", result.Field);
        Assert.Contains("utterance", result.Error);
    }

    [Fact]
    public void InvalidJsonHasNoFieldButGivesTheParserPosition()
    {
        var result = SkillJson.ParsePayload("{\n  \"userRequest\": {\"utterance\": \"hi\",,}\n}");

        Assert.False(result.Success);
        Assert.Null(result.Field);
        Assert.Contains("line 2", result.Error);
    }

    [Fact]
    public void EmptyBodyIsInvalidJson()
    {
        var result = SkillJson.ParsePayload(ReadOnlySpan<byte>.Empty);

        Assert.False(result.Success);
        Assert.Null(result.Field);
    }

    [Fact]
    public void JsonNullBodyIsRejected()
    {
        var result = SkillJson.ParsePayload("null");

        Assert.False(result.Success);
        Assert.Contains("null", result.Error);
    }
}
