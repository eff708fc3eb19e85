using System.Globalization;
using System.Text.RegularExpressions;

namespace KakaoAspire.Kakao.Text;

/// <summary>
/// Splits a long answer into pieces that fit a simpleText bubble, the way Moltbot's chunkMarkdownTextWithMode does
/// (docs/moltbot-channel-rules.md#text-chunking). The limit counts Unicode code points (<see cref="KakaoText.Length"/>), the same unit the
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

    // Linear: the rest of the text is a view (a short reopened fence line, then the source from an offset), and each
    // step reads only its window, so neither the rest is copied nor its fences found again on every step. Every
    // decision is the one the step would take on the rest as a string (tests keep that copying version as the oracle).
    private static void ChunkByLength(string text, int limit, List<string> chunks)
    {
        var rest = new RemainingText("", text.Trim(), 0);
        while (rest.Length > 0)
        {
            var windowEnd = rest.IndexAfterCodePoints(limit);
            if (windowEnd >= rest.Length)
            {
                Add(chunks, rest.Slice(0, rest.Length));
                return;
            }

            var fences = rest.FencesBefore(windowEnd);
            var separator = FindBreak(rest, windowEnd, fences);
            if (separator > 0)
            {
                Add(chunks, rest.Slice(0, separator));
                rest = rest.Advance(separator + 1).TrimStart();
                continue;
            }

            var fence = fences.FirstOrDefault(f => f.Contains(windowEnd));
            if (fence.OpenLine is not null && TrySplitFence(rest, limit, fence, chunks, out var next))
            {
                rest = next;
                continue;
            }

            var cut = GraphemeSafeCut(rest, windowEnd);
            Add(chunks, rest.Slice(0, cut));
            rest = rest.Advance(cut).TrimStart();
        }
    }

    // The last newline, else the last whitespace, inside the window, outside parentheses and outside fences.
    // The character just past the window counts too: breaking there leaves exactly `limit` characters.
    private static int FindBreak(RemainingText text, int windowEnd, List<TextFence> fences)
    {
        int lastNewline = -1, lastSpace = -1, depth = 0;
        var end = Math.Min(windowEnd, text.Length - 1);
        var fence = 0;
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
            else if (depth == 0 && char.IsWhiteSpace(c))
            {
                // Fences are in order and do not overlap, so one cursor walks them along with i.
                while (fence < fences.Count && fences[fence].End <= i)
                {
                    fence++;
                }

                if (fence < fences.Count && fences[fence].Contains(i))
                {
                    continue;
                }

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
    private static bool TrySplitFence(RemainingText text, int limit, TextFence fence, List<string> chunks, out RemainingText rest)
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

        var cut = text.IndexAfterCodePoints(budget);
        if (cut <= fence.ContentStart)
        {
            return false;
        }

        var newline = text.LastIndexOfNewline(cut - 1, fence.ContentStart);
        string head;
        if (newline > fence.ContentStart)
        {
            head = text.Slice(0, newline);
            rest = text.Advance(newline + 1).WithPrefix(reopen);
        }
        else
        {
            cut = GraphemeSafeCut(text, cut);
            if (cut <= fence.ContentStart)
            {
                return false;
            }

            head = text.Slice(0, cut);
            rest = text.Advance(cut).WithPrefix(reopen);
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

    // The last grapheme boundary at or before maxIndex; maxIndex itself (a code point boundary) when one
    // grapheme is longer than the whole window.
    private static int GraphemeSafeCut(RemainingText text, int maxIndex)
    {
        var i = 0;
        while (i < maxIndex)
        {
            var next = i + StringInfo.GetNextTextElementLength(text.SpanFrom(i));
            if (next > maxIndex)
            {
                break;
            }

            i = next;
        }

        return i > 0 ? i : maxIndex;
    }
}
