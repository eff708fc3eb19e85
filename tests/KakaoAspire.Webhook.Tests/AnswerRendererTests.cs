using KakaoAspire.Contracts;
using KakaoAspire.Kakao.Skill;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Answers;

namespace KakaoAspire.Webhook.Tests;

public sealed class AnswerRendererTests
{
    // Up to 3 outputs never touch Redis.
    private static readonly AnswerRenderer Renderer = new(new MorePagesStore(null!));
    private static readonly KakaoAccountConfig Account = new() { Id = "default", EmptyReplyText = "빈 답변" };

    private static TurnResponse Answer(string text, IReadOnlyList<string>? quickReplies = null, IReadOnlyList<string>? images = null) => new()
    {
        TurnId = "t", AgentId = "main", SessionKey = "s", Text = text, QuickReplies = quickReplies ?? [], ImageUrls = images ?? [],
    };

    [Fact]
    public async Task ImagesFollowTheTextAsSimpleImages()
    {
        var response = await Renderer.RenderAsync(Account, "u", [Answer("사진이에요", images: ["https://example.com/a.png", "javascript:alert(1)"])]);

        Assert.Equal("사진이에요", response.Template!.Outputs[0].SimpleText!.Text);
        Assert.Equal("https://example.com/a.png", response.Template.Outputs[1].SimpleImage!.ImageUrl);
        Assert.Equal(2, response.Template.Outputs.Count);
    }

    [Fact]
    public async Task AgentQuickRepliesAreCutToKakaosLimits()
    {
        var labels = Enumerable.Range(1, 12).Select(i => $"아주아주아주아주긴버튼이름{i}").ToList();

        var response = await Renderer.RenderAsync(Account, "u", [Answer("골라요", labels)]);

        Assert.Equal(10, response.Template!.QuickReplies!.Count);
        Assert.All(response.Template.QuickReplies, q => Assert.True(q.Label.Length <= 14));
        Assert.Equal(labels[0], response.Template.QuickReplies[0].MessageText);
        response.Validate();
    }

    [Fact]
    public async Task MarkdownIsShownAsPlainText()
    {
        var response = await Renderer.RenderAsync(Account, "u", [Answer("# 제목\n\n**굵게** 그리고 `코드`")]);

        var text = response.Template!.Outputs.Single().SimpleText!.Text;
        Assert.DoesNotContain("**", text);
        Assert.DoesNotContain("#", text);
        Assert.Contains("굵게", text);
    }

    [Fact]
    public async Task EmptyAnswerBecomesEmptyReplyText()
    {
        var response = await Renderer.RenderAsync(Account, "u", [Answer("  ")]);

        Assert.Equal("빈 답변", response.Template!.Outputs.Single().SimpleText!.Text);
    }

    [Fact]
    public void NoRenderedChunkExceedsTheLimit()
    {
        var account = Account with { TextChunkLimit = 50 };
        var markdown = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"- [링크{i}](https://example.com/{i}) **강조{i}** 문장"));

        var chunks = AnswerRenderer.Chunk(markdown, account);

        Assert.NotEmpty(chunks);
        Assert.All(chunks, c => Assert.True(Kakao.Text.KakaoText.Length(c) <= 50, $"{c.Length}: {c}"));
    }

    [Fact]
    public async Task An_image_line_is_shown_as_a_picture_where_the_agent_put_it()
    {
        var response = await Renderer.RenderAsync(Account, "u", [Answer("지도를 보세요.\n\n![서울 지도](https://example.com/map.png)\n\n**끝**")]);

        var outputs = response.Template!.Outputs;
        Assert.Equal(3, outputs.Count);
        Assert.Equal("지도를 보세요.", outputs[0].SimpleText!.Text);
        Assert.Equal("https://example.com/map.png", outputs[1].SimpleImage!.ImageUrl);
        Assert.Equal("서울 지도", outputs[1].SimpleImage!.AltText);
        Assert.Equal("끝", outputs[2].SimpleText!.Text);
        response.Validate();
    }

    [Fact]
    public async Task An_image_with_links_under_it_becomes_a_card_with_link_buttons()
    {
        var response = await Renderer.RenderAsync(Account, "u", [Answer(
            "오늘의 추천\n\n![남산타워 야경](https://example.com/tower.jpg)\n[지도에서 보기](https://map.example.com/1)\n[예약하기 아주아주 긴 버튼 이름](https://book.example.com/1)")]);

        var card = response.Template!.Outputs[1].BasicCard!;
        Assert.Equal("남산타워 야경", card.Title);
        Assert.Equal("https://example.com/tower.jpg", card.Thumbnail!.ImageUrl);
        Assert.Equal(["지도에서 보기", "예약하기 아주아주 긴 버…"], card.Buttons!.Select(b => b.Label));
        Assert.All(card.Buttons!, b => Assert.Equal(ButtonActions.WebLink, b.Action));
        Assert.Equal("https://book.example.com/1", card.Buttons![1].WebLinkUrl);
        Assert.Equal(2, response.Template.Outputs.Count);
        response.Validate();
    }

    [Fact]
    public async Task Links_set_apart_become_buttons_and_none_is_lost_past_three()
    {
        var response = await Renderer.RenderAsync(Account, "u", [Answer(
            "자세한 내용은 [공식 문서](https://docs.example.com) 에 있어요.\n\n[가격](https://example.com/p) [문의](https://example.com/q)\n[블로그](https://example.com/b)\n<https://kakao.com/today>")]);

        var outputs = response.Template!.Outputs;
        Assert.Equal("자세한 내용은 공식 문서 (https://docs.example.com) 에 있어요.", outputs[0].SimpleText!.Text);
        var buttons = outputs.Skip(1).SelectMany(o => o.TextCard!.Buttons!).ToList();
        Assert.Equal(["가격", "문의", "블로그", "kakao.com"], buttons.Select(b => b.Label));
        Assert.Equal("https://kakao.com/today", buttons[3].WebLinkUrl);
        Assert.Equal(3, outputs[1].TextCard!.Buttons!.Count);
        response.Validate();
    }

    [Fact]
    public async Task A_last_line_of_quick_replies_becomes_quick_replies_and_leaves_the_text()
    {
        var response = await Renderer.RenderAsync(Account, "u", [Answer("무엇을 더 볼까요?\n\n빠른 답장: 내일 날씨 | 주간 예보 |  | 도움말\n")]);

        Assert.Equal("무엇을 더 볼까요?", response.Template!.Outputs.Single().SimpleText!.Text);
        Assert.Equal(["내일 날씨", "주간 예보", "도움말"], response.Template.QuickReplies!.Select(q => q.MessageText));
        response.Validate();
    }

    [Fact]
    public async Task Quick_replies_written_in_english_join_those_the_agent_attached()
    {
        var response = await Renderer.RenderAsync(Account, "u", [Answer("Pick one.\nQuick replies: /help | /status", ["/status", "/demo"])]);

        Assert.Equal("Pick one.", response.Template!.Outputs.Single().SimpleText!.Text);
        Assert.Equal(["/status", "/demo", "/help"], response.Template.QuickReplies!.Select(q => q.MessageText));
    }

    [Fact]
    public async Task A_media_url_the_text_already_shows_as_an_image_is_shown_once()
    {
        var response = await Renderer.RenderAsync(Account, "u",
            [Answer("차트예요.\n\n![](https://example.com/c.png)", images: ["https://example.com/c.png", "https://example.com/d.png"])]);

        Assert.Equal(["https://example.com/c.png", "https://example.com/d.png"],
            response.Template!.Outputs.Where(o => o.SimpleImage is not null).Select(o => o.SimpleImage!.ImageUrl));
    }

    [Fact]
    public async Task An_image_that_is_not_on_the_web_stays_text()
    {
        var response = await Renderer.RenderAsync(Account, "u", [Answer("![로컬](file:///tmp/a.png)")]);

        Assert.Equal("로컬 (file:///tmp/a.png)", response.Template!.Outputs.Single().SimpleText!.Text);
    }
}
