using System.Text.RegularExpressions;
using KakaoAspire.Kakao.Skill;
using KakaoAspire.Kakao.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace KakaoAspire.Webhook.Answers;

/// <summary>One piece of an answer in reading order: Markdown to show as text, or a Kakao output made from it.</summary>
public sealed record AnswerPart(string? Markdown, SkillOutput? Output);

/// <summary>An answer's text read for what Kakao can show better than text.</summary>
public sealed record AnswerLayout(IReadOnlyList<AnswerPart> Parts, IReadOnlyList<string> QuickReplies, IReadOnlyList<string> ImageUrls);

/// <summary>
/// The convention every agent can use, with nothing but Markdown (README, "Agents"):
/// <list type="bullet">
/// <item>a paragraph that is only an image <c>![설명](https://…)</c> is shown as a picture (simpleImage);</item>
/// <item>an image with links on the lines right under it, <c>[열기](https://…)</c>, is a basicCard: the image as its
/// thumbnail, the image's description as its title, the links as its buttons;</item>
/// <item>a paragraph that is only links is a textCard whose buttons open them;</item>
/// <item>a last line <c>빠른 답장: 날씨 | 뉴스 | 도움말</c> (or <c>Quick replies:</c>) becomes quick replies.</item>
/// </list>
/// Only http(s) addresses count: anything else stays text. A link inside a sentence stays text ("label (url)"), so
/// prose reads as written; only what the agent set apart is turned into cards. Kakao's limits are kept by cutting
/// labels with "…" and spreading more than three buttons over more cards, never by dropping a link.
/// </summary>
public static partial class AnswerMarkdown
{
    /// <summary>The title of a card that holds only links (a textCard needs a title or a description).</summary>
    public const string LinksTitle = "바로 가기";

    [GeneratedRegex(@"^[ \t]*(?:빠른[ \t]*답장|quick[ \t]*replies)[ \t]*[:：][ \t]*(?<labels>\S.*?)[ \t]*$", RegexOptions.IgnoreCase)]
    private static partial Regex QuickRepliesLine();

    public static AnswerLayout Read(string text)
    {
        var source = text.Replace("\r\n", "\n");
        var quickReplies = TrailingQuickReplies(ref source);
        var document = KakaoMarkdown.Parse(source);
        var parts = new List<AnswerPart>();
        var images = new List<string>();
        var textStart = 0;
        foreach (var block in document)
        {
            if (block is not ParagraphBlock paragraph || Media(paragraph) is not { } media)
            {
                continue;
            }
            AddText(parts, source[textStart..Math.Min(block.Span.Start, source.Length)]);
            parts.AddRange(Outputs(media).Select(o => new AnswerPart(null, o)));
            images.AddRange(media.Images.Select(i => i.Url));
            textStart = Math.Min(block.Span.End + 1, source.Length);
        }
        AddText(parts, source[textStart..]);
        return new AnswerLayout(parts, quickReplies, images);
    }

    private static void AddText(List<AnswerPart> parts, string markdown)
    {
        if (!string.IsNullOrWhiteSpace(markdown))
        {
            parts.Add(new AnswerPart(markdown.Trim('\n'), null));
        }
    }

    // The last non-blank line, when it is "빠른 답장: a | b"; it is taken out of the text.
    private static IReadOnlyList<string> TrailingQuickReplies(ref string source)
    {
        var end = source.TrimEnd().Length;
        var lineStart = source.LastIndexOf('\n', Math.Max(end - 1, 0)) + 1;
        var match = QuickRepliesLine().Match(source[lineStart..end]);
        if (!match.Success)
        {
            return [];
        }
        source = source[..lineStart];
        return match.Groups["labels"].Value.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    private sealed record MediaLink(string Label, string Url);

    private sealed record MediaParagraph(IReadOnlyList<MediaLink> Images, IReadOnlyList<MediaLink> Links);

    // A paragraph of nothing but http(s) images and links (and the spaces and line breaks between them).
    private static MediaParagraph? Media(ParagraphBlock paragraph)
    {
        if (paragraph.Inline is null)
        {
            return null;
        }
        var images = new List<MediaLink>();
        var links = new List<MediaLink>();
        foreach (var inline in paragraph.Inline)
        {
            switch (inline)
            {
                case LineBreakInline:
                    break;
                case LiteralInline literal when literal.Content.IsEmptyOrWhitespace():
                    break;
                case LinkInline { IsImage: true } image when IsHttpUrl(image.Url):
                    images.Add(new MediaLink(KakaoMarkdown.Inlines(image), image.Url!));
                    break;
                case LinkInline { IsImage: false } link when IsHttpUrl(link.Url):
                    links.Add(new MediaLink(KakaoMarkdown.Inlines(link), link.Url!));
                    break;
                case AutolinkInline { IsEmail: false } autolink when IsHttpUrl(autolink.Url):
                    links.Add(new MediaLink("", autolink.Url));
                    break;
                default:
                    return null;
            }
        }
        return images.Count + links.Count == 0 ? null : new MediaParagraph(images, links);
    }

    private static IEnumerable<SkillOutput> Outputs(MediaParagraph media)
    {
        var links = media.Links.Chunk(KakaoLimits.MaxButtonsVertical).ToList();
        var linkGroup = 0;
        for (var i = 0; i < media.Images.Count; i++)
        {
            var image = media.Images[i];
            // The last image carries the links: they sit under it.
            if (i == media.Images.Count - 1 && links.Count > 0)
            {
                yield return new BasicCard
                {
                    Title = image.Label.Length == 0 ? null : CardRenderer.Cut(image.Label, KakaoLimits.MaxBasicCardTitle),
                    Thumbnail = new Thumbnail(image.Url, AltText(image.Label)),
                    Buttons = Buttons(links[linkGroup++]),
                };
            }
            else
            {
                yield return new SimpleImage(image.Url, AltText(image.Label));
            }
        }
        for (; linkGroup < links.Count; linkGroup++)
        {
            yield return new TextCard { Title = LinksTitle, Buttons = Buttons(links[linkGroup]) };
        }
    }

    private static IReadOnlyList<Button> Buttons(IEnumerable<MediaLink> links) =>
        [.. links.Select(l => Button.WebLink(CardRenderer.Cut(l.Label.Length > 0 ? l.Label : new Uri(l.Url).Host, KakaoLimits.MaxButtonLabel), l.Url))];

    private static string? AltText(string label) => label.Length == 0 ? null : CardRenderer.Cut(label, KakaoLimits.MaxAltText);

    internal static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
