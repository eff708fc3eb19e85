using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Kakao.Tests;

public class KakaoTextChunkerTests
{
    [Fact]
    public void ChunkerPrefersLastNewlineInsideWindow()
    {
        var chunks = KakaoTextChunker.Chunk("aaaa bbbb\ncccc dddd eeee", 15, ChunkMode.Length);

        Assert.Equal(["aaaa bbbb", "cccc dddd eeee"], chunks);
    }

    [Fact]
    public void ChunkerFallsBackToLastWhitespace()
    {
        var chunks = KakaoTextChunker.Chunk("one two three four", 10, ChunkMode.Length);

        Assert.Equal(["one two", "three four"], chunks);
    }

    [Fact]
    public void ChunkerDoesNotBreakInsideParentheses()
    {
        var chunks = KakaoTextChunker.Chunk("see (a b c d) e", 12, ChunkMode.Length);

        Assert.Equal(["see", "(a b c d) e"], chunks);
    }

    [Fact]
    public void ChunkerHardCutsWhenThereIsNoBreak()
    {
        var chunks = KakaoTextChunker.Chunk("abcdefghij", 4, ChunkMode.Length);

        Assert.Equal(["abcd", "efgh", "ij"], chunks);
    }

    [Fact]
    public void ChunkerCountsHangulSyllablesAsOneCharacter()
    {
        var chunks = KakaoTextChunker.Chunk(new string('가', 1500), 1000, ChunkMode.Length);

        Assert.Equal([1000, 500], chunks.Select(c => c.Length));
    }

    [Fact]
    public void ChunkerNeverSplitsASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 5));

        var chunks = KakaoTextChunker.Chunk(text, 2, ChunkMode.Length);

        Assert.Equal(["😀😀", "😀😀", "😀"], chunks);
        Assert.Equal(text, string.Concat(chunks));
    }

    [Fact]
    public void ChunkerKeepsAnEmojiSequenceWholeWhenItFits()
    {
        const string family = "👨‍👩‍👧";

        var chunks = KakaoTextChunker.Chunk("ab" + family, 5, ChunkMode.Length);

        Assert.Equal(["ab", family], chunks);
    }

    [Fact]
    public void ChunkerBreaksBeforeAFenceRatherThanInsideIt()
    {
        var chunks = KakaoTextChunker.Chunk("intro\n```cs\nline1\nline2\n```\noutro", 20, ChunkMode.Length);

        Assert.Equal(["intro", "```cs\nline1\n```", "```cs\nline2\n```", "outro"], chunks);
    }

    [Fact]
    public void ChunkerClosesAndReopensAFenceItIsForcedToSplit()
    {
        var code = "```python\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"print({i})")) + "\n```";

        var chunks = KakaoTextChunker.Chunk(code, 60, ChunkMode.Length);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c =>
        {
            Assert.StartsWith("```python\n", c);
            Assert.EndsWith("\n```", c);
            Assert.True(KakaoText.Length(c) <= 60, $"{KakaoText.Length(c)} > 60");
        });
        var body = chunks.SelectMany(c => c.Split('\n')[1..^1]);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"print({i})"), body);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(13)]
    [InlineData(40)]
    [InlineData(400)]
    public void NoChunkExceedsTheLimit(int limit)
    {
        var text = "첫 문단입니다 (괄호 안의 긴 설명이 여기에 있어요) 그리고 😀 이모지.\n\n```js\nconst x = 1;\nconst y = 2;\n```\n"
            + string.Concat(Enumerable.Repeat("긴단어없이계속되는텍스트", 20));

        foreach (var mode in new[] { ChunkMode.Length, ChunkMode.Newline })
        {
            var chunks = KakaoTextChunker.Chunk(text, limit, mode);

            Assert.NotEmpty(chunks);
            Assert.All(chunks, c => Assert.InRange(KakaoText.Length(c), 1, limit));
            Assert.All(chunks, c => Assert.False(char.IsHighSurrogate(c[^1]), "chunk ends in half an emoji"));
        }
    }

    [Fact]
    public void NewlineModeMakesEachParagraphAChunk()
    {
        var chunks = KakaoTextChunker.Chunk("p1 line\nstill p1\n\np2\n \n\np3", 100, ChunkMode.Newline);

        Assert.Equal(["p1 line\nstill p1", "p2", "p3"], chunks);
    }

    [Fact]
    public void NewlineModeSplitsALongParagraphByLength()
    {
        var chunks = KakaoTextChunker.Chunk("short\n\naaaa bbbb cccc", 10, ChunkMode.Newline);

        Assert.Equal(["short", "aaaa bbbb", "cccc"], chunks);
    }

    [Fact]
    public void NewlineModeIgnoresBlankLinesInsideFences()
    {
        var chunks = KakaoTextChunker.Chunk("```\na\n\nb\n```\n\nafter", 100, ChunkMode.Newline);

        Assert.Equal(["```\na\n\nb\n```", "after"], chunks);
    }

    [Fact]
    public void BlankTextGivesNoChunks()
    {
        Assert.Empty(KakaoTextChunker.Chunk(" \n\n ", 10));
    }

    [Fact]
    public void LimitBelowOneIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KakaoTextChunker.Chunk("abc", 0));
    }
}
