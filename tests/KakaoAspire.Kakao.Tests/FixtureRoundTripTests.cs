using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Kakao.Tests;

public class FixtureRoundTripTests
{
    public static TheoryData<string> Requests() => [.. Fixture.Names("skill-request-")];

    public static TheoryData<string> Responses() => [.. Fixture.Names("skill-response-"), "callback-body.json"];

    [Fact]
    public void AllExpectedFixturesAreCopiedToTheOutput()
    {
        Assert.Equal(3, Fixture.Names("skill-request-").Count());
        Assert.Equal(5, Fixture.Names("skill-response-").Count());
        Assert.Equal(2, Fixture.Names("callback-").Count());
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void RequestFixtureParsesAndReserializesToTheSameJson(string name)
    {
        var json = Fixture.Read(name);

        var result = SkillJson.ParsePayload(json);

        Assert.True(result.Success, result.Error);
        Fixture.AssertSameJson(json, SkillJson.SerializePayload(result.Payload));
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public void ResponseFixtureDeserializesAndReserializesToTheSameJson(string name)
    {
        var json = Fixture.Read(name);

        var response = SkillJson.DeserializeResponse(json);

        Assert.NotNull(response);
        Fixture.AssertSameJson(json, SkillJson.Serialize(response));
    }

    [Fact]
    public void CallbackResponseFixtureRoundTrips()
    {
        var json = Fixture.Read("callback-response.json");

        var result = SkillJson.ParseCallbackResult(json);

        Assert.NotNull(result);
        Assert.True(result.IsSuccess);
        Assert.Equal("3f6c2b8e-9a41-4d7b-8c2e-5b1f0a9d7e61", result.TaskId);
        Assert.Equal(1754629935123, result.Timestamp);
        Fixture.AssertSameJson(json, SkillJson.SerializeCallbackResult(result));
    }

    [Fact]
    public void CarouselFixtureReadsItsItemsAsBasicCards()
    {
        var response = SkillJson.DeserializeResponse(Fixture.Read("skill-response-carousel.json"))!;

        var carousel = response.Template!.Outputs[1].Carousel!;

        Assert.Equal(CarouselTypes.BasicCard, carousel.Type);
        var first = Assert.IsType<BasicCard>(carousel.Items[0]);
        Assert.Equal("주간 스프린트 계획", first.Title);
        Assert.Equal(ButtonActions.Message, first.Buttons![0].Action);
    }
}
