using System.Text;
using System.Text.Json.Nodes;
using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Kakao.Tests;

public class SkillResponseWritingTests
{
    [Fact]
    public void HangulIsWrittenAsRawUtf8NotEscaped()
    {
        var bytes = SkillJson.SerializeToUtf8Bytes(SkillResponse.Text("안녕하세요"));

        var utf8 = Encoding.UTF8.GetBytes("안녕");
        Assert.True(bytes.AsSpan().IndexOf(utf8) >= 0, "the UTF-8 bytes of 안녕 are missing");
        Assert.DoesNotContain("\\u", Encoding.UTF8.GetString(bytes), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void QuotesAndControlCharactersAreStillEscaped()
    {
        var json = SkillJson.Serialize(SkillResponse.Text("say \"hi\"\n<b>"));

        Assert.Equal("say \"hi\"\n<b>", JsonNode.Parse(json)!["template"]!["outputs"]![0]!["simpleText"]!["text"]!.GetValue<string>());
        Assert.Contains("\\\"hi\\\"\\n", json);
    }

    [Fact]
    public void CallbackAckHasTheFixtureShape()
    {
        var json = SkillJson.Serialize(SkillResponse.CallbackAck("답변을 만들고 있어요. 잠시만 기다려 주세요."));

        Fixture.AssertSameJson(Fixture.Read("skill-response-usecallback.json"), json);
        Assert.DoesNotContain("template", json);
    }

    [Fact]
    public void BuilderProducesTheQuickRepliesFixture()
    {
        var response = SkillResponse.Create()
            .AddText("회의록 요약을 끝냈어요. 다음으로 무엇을 할까요?")
            .AddQuickReply(QuickReply.Message("할 일 보기", "할 일 목록 보여줘"))
            .AddQuickReply(QuickReply.Message("메일로 받기", "요약을 메일로 보내줘", new JsonObject { ["intent"] = "send_summary_email" }))
            .AddQuickReply(QuickReply.Block("처음으로", "64f1c2a9e1b2c3d4e5f60701", "처음으로", new JsonObject { ["reset"] = true }))
            .Build();

        Fixture.AssertSameJson(Fixture.Read("skill-response-quickreplies.json"), SkillJson.Serialize(response));
    }

    [Fact]
    public void BuilderProducesTheBasicCardFixture()
    {
        var card = new BasicCard
        {
            Title = "주간 스프린트 계획",
            Description = "8월 8일(금) 09:00-10:00\n3층 회의실 A\n참석자 5명",
            Thumbnail = new Thumbnail("https://example.com/images/meeting-800x400.png", "회의 일정 카드"),
            Buttons =
            [
                Button.WebLink("캘린더에서 열기", "https://example.com/calendar/events/20250808-0900"),
                Button.Message("참석자 보기", "회의 참석자 알려줘"),
                Button.Share("공유하기"),
            ],
            ButtonLayout = ButtonLayouts.Vertical,
        };

        var response = SkillResponse.Create().AddOutput(card).Build();

        Fixture.AssertSameJson(Fixture.Read("skill-response-basiccard.json"), SkillJson.Serialize(response));
    }

    [Fact]
    public void OutputIsAnObjectWithOneKeyNamingTheComponent()
    {
        var json = SkillJson.Serialize(SkillResponse.Create().AddImage("https://example.com/a.png", "그림").Build());

        var output = JsonNode.Parse(json)!["template"]!["outputs"]![0]!.AsObject();
        Assert.Equal(["simpleImage"], output.Select(p => p.Key));
    }

    [Fact]
    public void EveryComponentAndButtonActionSurvivesARoundTrip()
    {
        var response = SkillResponse.Create()
            .AddOutput(new CommerceCard
            {
                Title = "무선 이어폰",
                Description = "오늘만 특가",
                Price = 100000,
                Currency = "won",
                Discount = 10000,
                Thumbnails = [new Thumbnail("https://example.com/p.png") { Link = new Link { Web = "https://example.com" } }],
                Profile = new Profile("스토어", "https://example.com/s.png"),
                Buttons = [Button.Phone("전화", "+82-2-000-0000"), Button.Operator("상담")],
            })
            .AddOutput(new ItemCard
            {
                Head = new ItemCardHead("영수증"),
                ItemList = [new ItemCardRow("상품", "커피"), new ItemCardRow("수량", "2")],
                ItemListAlignment = "right",
                ItemListSummary = new ItemCardRow("합계", "9,000원"),
                Title = "주문 완료",
                Buttons = [Button.Block("다시 주문", "block-1", "다시 주문"), Button.AddChannel("채널 추가")],
                ButtonLayout = ButtonLayouts.Horizontal,
            })
            .AddOutput(Carousel.Of(
                new ListCard
                {
                    Header = new ListCardHeader("오늘의 할 일"),
                    Items = [new ListItem { Title = "회의", Description = "09:00", Action = "message", MessageText = "회의" }],
                },
                new ListCard
                {
                    Header = new ListCardHeader("내일의 할 일"),
                    Items = [new ListItem { Title = "리뷰", Link = new Link { Web = "https://example.com/r" } }],
                }))
            .AddContext("schedule", 5, 60, new Dictionary<string, string> { ["date"] = "2025-08-08" })
            .WithData("text", "ok")
            .Build();

        var json = SkillJson.Serialize(response);
        var back = SkillJson.DeserializeResponse(json)!;

        Fixture.AssertSameJson(json, SkillJson.Serialize(back));
        Assert.IsType<ListCard>(back.Template!.Outputs[2].Carousel!.Items[1]);
        Assert.Equal("schedule", back.Context!.Values[0].Name);
        Assert.Equal("itemCard", back.Template.Outputs[1].Kind);
    }

    [Fact]
    public void TextCardCarouselWritesTypeAndItems()
    {
        var json = SkillJson.Serialize(SkillResponse.Create()
            .AddOutput(Carousel.Of(new TextCard { Title = "하나" }, new TextCard { Description = "둘" }))
            .Build());

        var carousel = JsonNode.Parse(json)!["template"]!["outputs"]![0]!["carousel"]!;
        Assert.Equal("textCard", carousel["type"]!.GetValue<string>());
        Assert.Equal("둘", carousel["items"]![1]!["description"]!.GetValue<string>());
    }

    [Fact]
    public void ChunkedTextBecomesSeveralSimpleTexts()
    {
        var response = SkillResponse.Create().AddChunkedText(new string('가', 1500)).Build();

        Assert.Equal(2, response.Template!.Outputs.Count);
        Assert.Equal(1000, response.Template.Outputs[0].SimpleText!.Text.Length);
    }
}
