using KakaoAspire.Kakao.Skill;
using KakaoAspire.Kakao.Text;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Webhook.Answers;

/// <summary>
/// Turns agent answers into one SkillResponse: Markdown chunked to textChunkLimit and shown as plain text, with the
/// images, image cards and link buttons the text sets apart (<see cref="AnswerMarkdown"/>) in their place, the agent's
/// media URLs after the text, its cards as a card or a carousel, and the quick replies of the last answer (attached or
/// written as its last line) on the last page. Past 3 outputs nothing is dropped: the rest waits in Redis behind "더 보기".
/// </summary>
public sealed class AnswerRenderer(MorePagesStore pages)
{
    public async Task<SkillResponse> RenderAsync(KakaoAccountConfig account, string userId, IReadOnlyList<TurnResponse> answers)
    {
        var outputs = new List<SkillOutput>();
        IReadOnlyList<string> lastQuickReplies = [];
        foreach (var answer in answers)
        {
            var layout = AnswerMarkdown.Read(answer.Text);
            var answerOutputs = new List<SkillOutput>();
            foreach (var part in layout.Parts)
            {
                if (part.Output is { } output)
                {
                    answerOutputs.Add(output);
                }
                else
                {
                    answerOutputs.AddRange(Chunk(part.Markdown!, account).Select(t => (SkillOutput)new SimpleText(t)));
                }
            }
            // An image the text already showed (a transport may write an agent's mediaUrl as ![](url)) is shown once.
            answerOutputs.AddRange(answer.ImageUrls.Where(AnswerMarkdown.IsHttpUrl).Except(layout.ImageUrls).Distinct()
                .Select(url => (SkillOutput)new SimpleImage(url)));
            answerOutputs.AddRange(CardRenderer.Render(answer.Cards));
            if (answerOutputs.Count == 0)
            {
                answerOutputs.AddRange(Chunk(account.EmptyReplyText, account).Select(t => (SkillOutput)new SimpleText(t)));
            }
            outputs.AddRange(answerOutputs);
            lastQuickReplies = [.. answer.QuickReplies, .. layout.QuickReplies];
        }
        var quickReplies = AgentQuickReplies(lastQuickReplies);

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
                var result = new List<string>();
        foreach (var chunk in KakaoTextChunker.Chunk(text, limit, account.ChunkMode))
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
        .Select(l => l.Trim())
        .Distinct()
        .Take(KakaoLimits.MaxQuickReplies)
        .Select(l => QuickReply.Message(Shorten(l.Trim()), l.Trim()));

    private static string Shorten(string label) =>
        KakaoText.Length(label) <= KakaoLimits.MaxQuickReplyLabel ? label : new string([.. label.EnumerateRunes().Take(KakaoLimits.MaxQuickReplyLabel - 1).SelectMany(r => r.ToString())]) + "…";
}
