using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace KakaoAspire.Benchmarks;

/// <summary>
/// The hand-written regex stripper the answers used before the Markdig renderer, kept verbatim so the benchmark
/// compares the two in the same run.
/// </summary>
public static partial class RegexMarkdownStripper
{
    /// <summary>
    /// Turns common Markdown into plain text, because KakaoTalk shows Markdown markers literally:
    /// headers lose their #, **bold**/*italic*/~~strike~~/`code` lose their markers, [text](url) becomes
    /// "text (url)", bullets become "• ", quotes and rules go away, and fenced code keeps its lines without the fences.
    /// </summary>
    public static string Strip(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var output = new StringBuilder(markdown.Length);
        string? fenceMarker = null;
        foreach (var rawLine in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            var fence = FenceLine().Match(rawLine);
            if (fence.Success && (fenceMarker is null || (fence.Groups[1].Value.StartsWith(fenceMarker, StringComparison.Ordinal) && fence.Groups[2].Value.Trim().Length == 0)))
            {
                fenceMarker = fenceMarker is null ? fence.Groups[1].Value : null;
                continue;
            }

            output.Append(fenceMarker is null ? StripLine(rawLine) : rawLine).Append('\n');
        }

        var text = output.ToString();
        return (text.Contains("\n\n\n", StringComparison.Ordinal) ? ExtraBlankLines().Replace(text, "\n\n") : text).Trim();
    }

    // Each rule runs only when the line holds the character its pattern cannot match without (one vectorized
    // search instead of a regex pass): most lines of an answer are plain prose and need none of them.
    private static string StripLine(string line)
    {
        if (line.AsSpan().IndexOfAny(MarkupChars) < 0)
        {
            return line;
        }

        if (line.AsSpan().IndexOfAny(RuleChars) >= 0 && Rule().IsMatch(line))
        {
            return "";
        }

        if (line.Contains('#'))
        {
            line = Heading().Replace(line, "$1");
        }

        if (line.Contains('>'))
        {
            line = Quote().Replace(line, "");
        }

        if (line.AsSpan().IndexOfAny(BulletChars) >= 0)
        {
            line = Bullet().Replace(line, "$1• ");
        }

        // Code spans are set aside first so the emphasis rules leave their content alone.
        List<string>? spans = null;
        if (line.Contains('`'))
        {
            spans = [];
            line = CodeSpan().Replace(line, m =>
            {
                spans.Add(m.Groups[2].Value);
                return $"\u0000{spans.Count - 1}\u0000";
            });
        }

        if (line.Contains("](", StringComparison.Ordinal))
        {
            line = Image().Replace(line, m => LinkText(m.Groups[1].Value, m.Groups[2].Value));
            line = MarkdownLink().Replace(line, m => LinkText(m.Groups[1].Value, m.Groups[2].Value));
        }

        if (line.Contains('<'))
        {
            line = AutoLink().Replace(line, "$1");
        }

        if (line.Contains("**", StringComparison.Ordinal) || line.Contains("__", StringComparison.Ordinal))
        {
            line = Bold().Replace(line, "$2");
        }

        if (line.Contains("~~", StringComparison.Ordinal))
        {
            line = Strike().Replace(line, "$1");
        }

        if (line.Contains('*'))
        {
            line = ItalicStar().Replace(line, "$1");
        }

        if (line.Contains('_'))
        {
            line = ItalicUnderscore().Replace(line, "$1");
        }

        return line.Contains('\0')
            ? Placeholder().Replace(line, m => (spans ?? [])[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)])
            : line;
    }

    // Every character some rule needs; a line with none of them comes back unchanged.
    private static readonly SearchValues<char> MarkupChars = SearchValues.Create("-*_#>+`]<~\0");
    private static readonly SearchValues<char> RuleChars = SearchValues.Create("-*_");
    private static readonly SearchValues<char> BulletChars = SearchValues.Create("-*+");

    private static string LinkText(string text, string url) =>
        text.Length == 0 || text == url ? url : $"{text} ({url})";

    [GeneratedRegex(@"^\s{0,3}(`{3,}|~{3,})(.*)$")]
    private static partial Regex FenceLine();

    [GeneratedRegex(@"^\s{0,3}([-*_])(\s*\1){2,}\s*$")]
    private static partial Regex Rule();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.*?)(\s+#+)?\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s{0,3}>\s?")]
    private static partial Regex Quote();

    [GeneratedRegex(@"^(\s*)[-*+]\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"(`+)(.+?)\1")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!\[([^\]]*)\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"<(https?://[^>\s]+)>")]
    private static partial Regex AutoLink();

    [GeneratedRegex(@"(\*\*|(?<!\w)__)(?=\S)(.+?)(?<=\S)\1")]
    private static partial Regex Bold();

    [GeneratedRegex(@"~~(?=\S)(.+?)(?<=\S)~~")]
    private static partial Regex Strike();

    [GeneratedRegex(@"(?<![\*\w])\*(?=\S)(.+?)(?<=\S)\*(?![\*\w])")]
    private static partial Regex ItalicStar();

    // Word-bounded so snake_case_names survive.
    [GeneratedRegex(@"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")]
    private static partial Regex ItalicUnderscore();

    [GeneratedRegex("\u0000(\\d+)\u0000")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ExtraBlankLines();
}
