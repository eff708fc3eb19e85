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
}
