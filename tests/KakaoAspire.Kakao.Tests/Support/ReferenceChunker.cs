using System.Globalization;
using System.Text.RegularExpressions;
using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Kakao.Tests;

/// <summary>
/// The chunker as it was before it was made linear (it copies and rescans the rest on every step), kept as the
/// oracle: <see cref="KakaoTextChunker"/> must give exactly its output. Do not "fix" it.
/// </summary>
internal static partial class ReferenceChunker
{
    // Moltbot's paragraph separator /\n[\t ]*\n+/, tolerant of CRLF and whitespace-only lines.
    [GeneratedRegex(@"\r?\n[\t ]*(?:\r?\n[\t ]*)+")]
    private static partial Regex BlankLines();

    public static IReadOnlyList<string> Chunk(string text, int limit, ChunkMode mode = ChunkMode.Length)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var chunks = new List<string>();
        if (mode == ChunkMode.Newline)
        {
            ChunkByParagraph(text, limit, chunks);
        }
        else
        {
            ChunkByLength(text, limit, chunks);
        }

        return chunks;
    }

    private static void ChunkByParagraph(string text, int limit, List<string> chunks)
    {
        var fences = ReferenceFences.Find(text);
        var last = 0;
        foreach (Match separator in BlankLines().Matches(text))
        {
            if (fences.Any(f => f.Contains(separator.Index)))
            {
                continue;
            }

            AddParagraph(text[last..separator.Index], limit, chunks);
            last = separator.Index + separator.Length;
        }

        AddParagraph(text[last..], limit, chunks);
    }

    private static void AddParagraph(string paragraph, int limit, List<string> chunks)
    {
        if (!string.IsNullOrWhiteSpace(paragraph))
        {
            ChunkByLength(paragraph, limit, chunks);
        }
    }

    private static void ChunkByLength(string text, int limit, List<string> chunks)
    {
        var remaining = text.Trim();
        while (remaining.Length > 0)
        {
            if (KakaoText.Length(remaining) <= limit)
            {
                Add(chunks, remaining);
                return;
            }

            var windowEnd = IndexAfterCodePoints(remaining, 0, limit);
            var fences = ReferenceFences.Find(remaining);
            var separator = FindBreak(remaining, windowEnd, fences);
            if (separator > 0)
            {
                Add(chunks, remaining[..separator]);
                remaining = remaining[(separator + 1)..].TrimStart();
                continue;
            }

            var fence = fences.FirstOrDefault(f => f.Contains(windowEnd));
            if (fence.OpenLine is not null && TrySplitFence(remaining, limit, fence, chunks, out var rest))
            {
                remaining = rest;
                continue;
            }

            var cut = GraphemeSafeCut(remaining, windowEnd);
            Add(chunks, remaining[..cut]);
            remaining = remaining[cut..].TrimStart();
        }
    }

    // The last newline, else the last whitespace, inside the window, outside parentheses and outside fences.
    // The character just past the window counts too: breaking there leaves exactly `limit` characters.
    private static int FindBreak(string text, int windowEnd, List<ReferenceFence> fences)
    {
        int lastNewline = -1, lastSpace = -1, depth = 0;
        var end = Math.Min(windowEnd, text.Length - 1);
        for (var i = 0; i <= end; i++)
        {
            var c = text[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0 && char.IsWhiteSpace(c) && !fences.Any(f => f.Contains(i)))
            {
                if (c == '\n')
                {
                    lastNewline = i;
                }
                else
                {
                    lastSpace = i;
                }
            }
        }

        return lastNewline > 0 ? lastNewline : lastSpace;
    }

    // Forced to break inside a code fence: close it at the end of this chunk and reopen it (same marker and
    // info string) at the start of the next, so both halves still render as code.
    private static bool TrySplitFence(string text, int limit, ReferenceFence fence, List<string> chunks, out string rest)
    {
        rest = text;
        var close = "\n" + fence.Indent + fence.Marker;
        var reopen = fence.OpenLine + "\n";
        var budget = limit - KakaoText.Length(close);

        // Without room for the reopen line, the close marker and some code, the split would never make progress.
        if (budget <= KakaoText.Length(reopen) || fence.ContentStart >= text.Length)
        {
            return false;
        }

        var cut = IndexAfterCodePoints(text, 0, budget);
        if (cut <= fence.ContentStart)
        {
            return false;
        }

        var newline = text.LastIndexOf('\n', cut - 1, cut - fence.ContentStart);
        string head;
        if (newline > fence.ContentStart)
        {
            head = text[..newline];
            rest = reopen + text[(newline + 1)..];
        }
        else
        {
            cut = GraphemeSafeCut(text, cut);
            if (cut <= fence.ContentStart)
            {
                return false;
            }

            head = text[..cut];
            rest = reopen + text[cut..];
        }

        chunks.Add(head.TrimEnd() + close);
        return true;
    }

    private static void Add(List<string> chunks, string chunk)
    {
        var trimmed = chunk.TrimEnd();
        if (trimmed.Length > 0)
        {
            chunks.Add(trimmed);
        }
    }

    internal static int IndexAfterCodePoints(string text, int start, int count)
    {
        var i = start;
        for (var n = 0; n < count && i < text.Length; n++)
        {
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        }

        return i;
    }

    // The last grapheme boundary at or before maxIndex; maxIndex itself (a code point boundary) when one
    // grapheme is longer than the whole window.
    private static int GraphemeSafeCut(string text, int maxIndex)
    {
        var i = 0;
        while (i < maxIndex)
        {
            var next = i + StringInfo.GetNextTextElementLength(text, i);
            if (next > maxIndex)
            {
                break;
            }

            i = next;
        }

        return i > 0 ? i : maxIndex;
    }
}

internal readonly record struct ReferenceFence(int Start, int End, int ContentStart, string OpenLine, string Indent, string Marker)
{
    // A break at a newline strictly inside the span would split the code block.
    public bool Contains(int index) => Start < index && index < End;
}

internal static partial class ReferenceFences
{
    [GeneratedRegex(@"^( {0,3})(`{3,}|~{3,})(.*)$")]
    private static partial Regex FenceLine();

    public static List<ReferenceFence> Find(string text)
    {
        var fences = new List<ReferenceFence>();
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
                    fences.Add(new ReferenceFence(open.Value.Start, lineEnd, open.Value.ContentStart, open.Value.Line, open.Value.Indent, open.Value.Marker));
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
            fences.Add(new ReferenceFence(o.Start, text.Length, o.ContentStart, o.Line, o.Indent, o.Marker));
        }

        return fences;
    }
}
