using System.Text.RegularExpressions;

namespace KakaoAspire.Kakao.Text;

// Finds ``` / ~~~ code fences so the chunker can avoid breaking inside them.
internal readonly record struct TextFence(int Start, int End, int ContentStart, string OpenLine, string Indent, string Marker)
{
    // A break at a newline strictly inside the span would split the code block.
    public bool Contains(int index) => Start < index && index < End;
}

internal static partial class TextFences
{
    [GeneratedRegex(@"^( {0,3})(`{3,}|~{3,})(.*)$")]
    private static partial Regex FenceLine();

    public static List<TextFence> Find(string text)
    {
        var fences = new List<TextFence>();
        (int Start, int ContentStart, string Line, string Indent, string Marker)? open = null;
        var lineStart = 0;
        while (lineStart <= text.Length)
        {
            var newline = text.IndexOf('\n', lineStart);
            var lineEnd = newline < 0 ? text.Length : newline;
            var line = text[lineStart..lineEnd].TrimEnd('\r');
            var match = FenceLine().Match(line);
            if (match.Success)
            {
                var marker = match.Groups[2].Value;
                if (open is null)
                {
                    open = (lineStart, Math.Min(lineEnd + 1, text.Length), line, match.Groups[1].Value, marker);
                }
                else if (marker[0] == open.Value.Marker[0] && marker.Length >= open.Value.Marker.Length
                    && string.IsNullOrWhiteSpace(match.Groups[3].Value))
                {
                    fences.Add(new TextFence(open.Value.Start, lineEnd, open.Value.ContentStart, open.Value.Line, open.Value.Indent, open.Value.Marker));
                    open = null;
                }
            }

            if (newline < 0)
            {
                break;
            }

            lineStart = newline + 1;
        }

        // An unclosed fence runs to the end, as Markdown renders it.
        if (open is { } o)
        {
            fences.Add(new TextFence(o.Start, text.Length, o.ContentStart, o.Line, o.Indent, o.Marker));
        }

        return fences;
    }

    public static bool IsLine(string line) => FenceLine().IsMatch(line.TrimEnd('\r'));
}
