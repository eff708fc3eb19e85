using System.Globalization;
using System.Text.RegularExpressions;

namespace KakaoAspire.Kakao.Text;

/// <summary>
/// Splits a long answer into pieces that fit a simpleText bubble, the way Moltbot's chunkMarkdownTextWithMode does
/// (MOLTBOT.md §1.3). The limit counts Unicode code points (<see cref="KakaoText.Length"/>), the same unit the
/// SkillResponse validator uses, and a hard cut lands on a grapheme boundary, so no surrogate pair, emoji
/// sequence or decomposed Hangul syllable is ever split.
/// </summary>
public static partial class KakaoTextChunker
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
        var fences = TextFences.Find(text);
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
            var fences = TextFences.Find(remaining);
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
    private static int FindBreak(string text, int windowEnd, List<TextFence> fences)
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
    private static bool TrySplitFence(string text, int limit, TextFence fence, List<string> chunks, out string rest)
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
