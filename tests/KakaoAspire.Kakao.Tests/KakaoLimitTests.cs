using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Kakao.Tests;

// Each limit of docs/kakao-skill-protocol.md#limits rejects a response that breaks it, naming the JSON path and the number.
public class KakaoLimitTests
{
    private static readonly Thumbnail Image = new("https://example.com/i.png");

    private static string Chars(int n) => new('가', n);

    private static SkillResponse With(params SkillOutput[] outputs) =>
        new() { Template = new SkillTemplate { Outputs = outputs } };

    private static BasicCard Basic(int buttons = 0) => new()
    {
        Title = "제목",
        Thumbnail = Image,
        Buttons = Enumerable.Range(0, buttons).Select(i => Button.Message($"b{i}")).ToArray(),
    };

    private static ListCard List(int items) => new()
    {
        Header = new ListCardHeader("목록"),
        Items = Enumerable.Range(0, items).Select(i => new ListItem { Title = $"item {i}" }).ToArray(),
    };

    private static ItemCard Items(int rows) => new()
    {
        ItemList = Enumerable.Range(0, rows).Select(i => new ItemCardRow($"행{i}", "값")).ToArray(),
    };

    // name → (response, expected path, expected message fragment)
    private static readonly Dictionary<string, (SkillResponse Response, string Path, string Fragment)> Cases = new()
    {
        ["no outputs without useCallback"] = (With(), "template.outputs", "1 to 3"),
        ["four outputs"] = (With(new SimpleText("1"), new SimpleText("2"), new SimpleText("3"), new SimpleText("4")), "template.outputs", "at most 3"),
        ["eleven quick replies"] = (new SkillResponse
        {
            Template = new SkillTemplate
            {
                Outputs = [new SimpleText("hi")],
                QuickReplies = Enumerable.Range(0, 11).Select(i => QuickReply.Message($"q{i}")).ToArray(),
            },
        }, "template.quickReplies", "at most 10"),
        ["quick reply label of 15"] = (new SkillResponse
        {
            Template = new SkillTemplate { Outputs = [new SimpleText("hi")], QuickReplies = [QuickReply.Message(Chars(15))] },
        }, "template.quickReplies[0].label", "at most 14"),
        ["block quick reply without blockId"] = (new SkillResponse
        {
            Template = new SkillTemplate { Outputs = [new SimpleText("hi")], QuickReplies = [new QuickReply { Label = "x", Action = "block" }] },
        }, "template.quickReplies[0].blockId", "requires"),
        ["empty simpleText"] = (With(new SimpleText("")), "template.outputs[0].simpleText.text", "missing or empty"),
        ["simpleImage altText of 51"] = (With(new SimpleImage("https://example.com/i.png", Chars(51))), "template.outputs[0].simpleImage.altText", "at most 50"),
        ["eleven carousel cards"] = (With(Carousel.Of(Enumerable.Range(0, 11).Select(_ => Basic()).ToArray())), "template.outputs[0].carousel.items", "at most 10"),
        ["six listCards in a carousel"] = (With(Carousel.Of(Enumerable.Range(0, 6).Select(_ => List(1)).ToArray())), "template.outputs[0].carousel.items", "at most 5"),
        ["carousel item of the wrong type"] = (With(new Carousel { Type = CarouselTypes.BasicCard, Items = [new TextCard { Title = "x" }] }), "template.outputs[0].carousel.items[0]", "carousel type"),
        ["header on a listCard carousel"] = (With(Carousel.Of(List(1)) with { Header = new CarouselHeader { Title = "h" } }), "template.outputs[0].carousel.header", "no header"),
        ["four vertical buttons"] = (With(Basic(4)), "template.outputs[0].basicCard.buttons", "at most 3"),
        ["three horizontal buttons"] = (With(Basic(3) with { ButtonLayout = ButtonLayouts.Horizontal }), "template.outputs[0].basicCard.buttons", "at most 2"),
        ["fixedRatio thumbnail means horizontal"] = (With(Basic(3) with { Thumbnail = Image with { FixedRatio = true } }), "template.outputs[0].basicCard.buttons", "at most 2"),
        ["button label of 15"] = (With(Basic() with { Buttons = [Button.Message(Chars(15), "m")] }), "template.outputs[0].basicCard.buttons[0].label", "at most 14"),
        ["label of 9 with two horizontal buttons"] = (With(Basic() with
        {
            ButtonLayout = ButtonLayouts.Horizontal,
            Buttons = [Button.Message("ok", "m"), Button.Message(Chars(9), "m")],
        }), "template.outputs[0].basicCard.buttons[1].label", "at most 8"),
        ["webLink without http url"] = (With(Basic() with { Buttons = [Button.WebLink("열기", "javascript:alert(1)")] }), "template.outputs[0].basicCard.buttons[0].webLinkUrl", "http(s)"),
        ["unknown button action"] = (With(Basic() with { Buttons = [new Button { Label = "x", Action = "osLink" }] }), "template.outputs[0].basicCard.buttons[0].action", "Kakao allows"),
        ["textCard title of 51"] = (With(new TextCard { Title = Chars(51) }), "template.outputs[0].textCard.title", "at most 50"),
        ["textCard description of 401"] = (With(new TextCard { Description = Chars(401) }), "template.outputs[0].textCard.description", "at most 400"),
        ["textCard title plus description over 400"] = (With(new TextCard { Title = Chars(50), Description = Chars(351) }), "template.outputs[0].textCard.description", "title + description is 401"),
        ["textCard description of 129 in a carousel"] = (With(Carousel.Of(new TextCard { Description = Chars(129) })), "template.outputs[0].carousel.items[0].description", "at most 128"),
        ["textCard without title or description"] = (With(new TextCard()), "template.outputs[0].textCard", "one of them"),
        ["basicCard title of 51"] = (With(Basic() with { Title = Chars(51) }), "template.outputs[0].basicCard.title", "at most 50"),
        ["basicCard description of 231"] = (With(Basic() with { Description = Chars(231) }), "template.outputs[0].basicCard.description", "at most 230"),
        ["basicCard without thumbnail"] = (With(new BasicCard { Title = "x" }), "template.outputs[0].basicCard.thumbnail", "requires"),
        ["commerceCard title of 31"] = (With(new CommerceCard { Title = Chars(31), Price = 1, Thumbnails = [Image] }), "template.outputs[0].commerceCard.title", "at most 30"),
        ["commerceCard description of 41"] = (With(new CommerceCard { Description = Chars(41), Price = 1, Thumbnails = [Image] }), "template.outputs[0].commerceCard.description", "at most 40"),
        ["commerceCard with two thumbnails"] = (With(new CommerceCard { Price = 1, Thumbnails = [Image, Image] }), "template.outputs[0].commerceCard.thumbnails", "exactly 1"),
        ["commerceCard without price"] = (With(new CommerceCard { Thumbnails = [Image] }), "template.outputs[0].commerceCard.price", "requires"),
        ["commerceCard in dollars"] = (With(new CommerceCard { Price = 1, Currency = "usd", Thumbnails = [Image] }), "template.outputs[0].commerceCard.currency", "won"),
        ["listCard with six items"] = (With(List(6)), "template.outputs[0].listCard.items", "at most 5"),
        ["listCard with five items in a carousel"] = (With(Carousel.Of(List(5))), "template.outputs[0].carousel.items[0].items", "at most 4"),
        ["listCard without header title"] = (With(List(1) with { Header = null }), "template.outputs[0].listCard.header.title", "requires"),
        ["itemCard with eleven rows"] = (With(Items(11)), "template.outputs[0].itemCard.itemList", "at most 10"),
        ["itemCard with six rows in a carousel"] = (With(Carousel.Of(Items(6))), "template.outputs[0].carousel.items[0].itemList", "at most 5"),
        ["itemCard row title of 7"] = (With(Items(1) with { ItemList = [new ItemCardRow(Chars(7), "v")] }), "template.outputs[0].itemCard.itemList[0].title", "at most 6"),
        ["itemCard with head and profile"] = (With(Items(1) with { Head = new ItemCardHead("h"), Profile = new ItemCardProfile { Title = "p" } }), "template.outputs[0].itemCard.profile", "only one"),
        ["itemCard profile title of 16"] = (With(Items(1) with { Profile = new ItemCardProfile { Title = Chars(16) } }), "template.outputs[0].itemCard.profile.title", "at most 15"),
        ["itemCard summary description of 15"] = (With(Items(1) with { ItemListSummary = new ItemCardRow("합계", Chars(15)) }), "template.outputs[0].itemCard.itemListSummary.description", "at most 14"),
        ["output with two components"] = (With(new SkillOutput { SimpleText = new SimpleText("a"), SimpleImage = new SimpleImage("https://example.com/i.png") }), "template.outputs[0]", "exactly one"),
        ["wrong version"] = (new SkillResponse { Version = "1.0", Template = new SkillTemplate { Outputs = [new SimpleText("a")] } }, "version", "2.0"),
        ["no template, data or useCallback"] = (new SkillResponse(), "template", "needs a template"),
        ["context without name"] = (SkillResponse.Text("a") with { Context = new ContextControl { Values = [new ContextValue { LifeSpan = 1 }] } }, "context.values[0].name", "requires"),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ResponseBreakingALimitFailsNamingPathAndLimit(string name)
    {
        var (response, path, fragment) = Cases[name];

        var ex = Assert.Throws<KakaoLimitException>(() => SkillJson.Serialize(response));

        Assert.Equal(path, ex.Path);
        Assert.StartsWith(path, ex.Message);
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void SimpleTextOverLimitMessageStatesLengthAndMaximum()
    {
        var ex = Assert.Throws<KakaoLimitException>(() => SkillJson.SerializeToUtf8Bytes(With(new SimpleText(Chars(1203)))));

        Assert.Equal("template.outputs[0].simpleText.text is 1203 characters; Kakao allows at most 1000", ex.Message);
        Assert.Equal(1203, ex.Actual);
        Assert.Equal(1000, ex.Maximum);
    }

    [Fact]
    public void BuilderBuildValidates()
    {
        Assert.Throws<KakaoLimitException>(() => SkillResponse.Create().AddText(Chars(1001)).Build());
    }

    [Fact]
    public void LimitsCountEmojiAsOneCharacter()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 1000));

        var json = SkillJson.Serialize(SkillResponse.Text(emoji));

        Assert.Equal(2000, emoji.Length);
        Assert.NotEmpty(json);
    }

    [Fact]
    public void ResponsesAtEveryLimitPass()
    {
        var response = new SkillResponse
        {
            Template = new SkillTemplate
            {
                Outputs =
                [
                    new SimpleText(Chars(1000)),
                    Carousel.Of(Enumerable.Range(0, 5).Select(_ => List(4) with { Buttons = [Button.Message("a"), Button.Message("b"), Button.Message(Chars(14), "c")] }).ToArray()),
                    Basic() with
                    {
                        Title = Chars(50),
                        Description = Chars(230),
                        ButtonLayout = ButtonLayouts.Horizontal,
                        Buttons = [Button.Message(Chars(8), "m"), Button.Share(Chars(8))],
                    },
                ],
                QuickReplies = Enumerable.Range(0, 10).Select(_ => QuickReply.Message(Chars(14), "m")).ToArray(),
            },
        };

        Assert.NotEmpty(SkillJson.Serialize(response));
    }

    [Fact]
    public void CallbackAckMayHaveAnEmptyTemplate()
    {
        var ack = SkillResponse.CallbackAck() with { Template = new SkillTemplate() };

        Assert.NotEmpty(SkillJson.Serialize(ack));
    }

    [Fact]
    public void DataOnlyResponseIsAllowed()
    {
        var response = SkillResponse.Create().WithData("answer", "42").Build();

        Assert.Contains("\"answer\":\"42\"", SkillJson.Serialize(response));
    }
}
