using KakaoAspire.Kakao.Skill;
using KakaoAspire.Kakao.Text;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Webhook.Answers;

/// <summary>
/// Turns agent answers into one SkillResponse: Markdown chunked to textChunkLimit and shown as plain text, images after
/// the text, cards as a card or a carousel, the agent's quick replies on the last page. Past 3 outputs nothing is dropped: the rest waits in Redis
/// behind "더 보기".
/// </summary>
public sealed class AnswerRenderer(MorePagesStore pages)
{
    public async Task<SkillResponse> RenderAsync(KakaoAccountConfig account, string userId, IReadOnlyList<TurnResponse> answers)
    {
        var outputs = new List<SkillOutput>();
        foreach (var answer in answers)
        {
            var texts = Chunk(answer.Text, account);
            var images = answer.ImageUrls.Where(IsImageUrl).ToList();
            if (texts.Count == 0 && images.Count == 0 && answer.Cards.Count == 0)
            {
                texts = Chunk(account.EmptyReplyText, account);
            }
            outputs.AddRange(texts.Select(t => (SkillOutput)new SimpleText(t)));
            outputs.AddRange(images.Select(url => (SkillOutput)new SimpleImage(url)));
            outputs.AddRange(CardRenderer.Render(answer.Cards));
        }
        var quickReplies = AgentQuickReplies(answers.Count == 0 ? [] : answers[^1].QuickReplies);

        if (outputs.Count <= KakaoLimits.MaxOutputs)
        {
            return Page(outputs, quickReplies);
        }

        var pagesId = Guid.CreateVersion7().ToString("N");
        var all = outputs.Chunk(KakaoLimits.MaxOutputs).ToList();
        // Page i's "더 보기" asks for stored page i (the stored pages start after the reply's own).
        var rendered = all.Select((page, i) => Page(page, i == all.Count - 1 ? quickReplies : [SkillTexts.MoreQuickReply(pagesId, i)])).ToList();
        await pages.SaveAsync(account.Id, userId, pagesId, rendered[1..]);
        return rendered[0];
    }

    private static SkillResponse Page(IEnumerable<SkillOutput> outputs, IEnumerable<QuickReply> quickReplies)
    {
        var builder = SkillResponse.Create();
        foreach (var output in outputs)
        {
            builder.AddOutput(output);
        }
        return builder.AddQuickReplies(quickReplies).Build();
    }

    /// <summary>Chunks the Markdown, then shows each chunk as plain text; no rendered chunk exceeds the limit.</summary>
    public static IReadOnlyList<string> Chunk(string text, KakaoAccountConfig account)
    {
        var limit = Math.Min(account.TextChunkLimit, KakaoLimits.MaxSimpleText);
        var mode = account.ChunkMode == Moltbot.Config.ChunkMode.Newline ? Kakao.Text.ChunkMode.Newline : Kakao.Text.ChunkMode.Length;
        var result = new List<string>();
        foreach (var chunk in KakaoTextChunker.Chunk(text, limit, mode))
        {
            var plain = KakaoText.StripMarkdown(chunk);
            if (KakaoText.Length(plain) > limit)
            {
                result.AddRange(KakaoTextChunker.Chunk(plain, limit));
            }
            else if (!string.IsNullOrWhiteSpace(plain))
            {
                result.Add(plain);
            }
        }
        return result;
    }

    private static IEnumerable<QuickReply> AgentQuickReplies(IReadOnlyList<string> labels) => labels
        .Where(l => !string.IsNullOrWhiteSpace(l))
        .Take(KakaoLimits.MaxQuickReplies)
        .Select(l => QuickReply.Message(Shorten(l.Trim()), l.Trim()));

    private static string Shorten(string label) =>
        KakaoText.Length(label) <= KakaoLimits.MaxQuickReplyLabel ? label : new string([.. label.EnumerateRunes().Take(KakaoLimits.MaxQuickReplyLabel - 1).SelectMany(r => r.ToString())]) + "…";

    private static bool IsImageUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
