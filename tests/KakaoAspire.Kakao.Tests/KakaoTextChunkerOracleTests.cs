using System.Text;
using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Kakao.Tests;

/// <summary>
/// The linear chunker against the copying one it replaced (<see cref="ReferenceChunker"/>): same chunks, always,
/// on long answers and on many short texts made of the characters that steer its decisions.
/// </summary>
public class KakaoTextChunkerOracleTests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(137)]
    public void AHundredThousandCharacterAnswerChunksExactlyAsBefore(int limit)
    {
        var text = LongAnswer(100_000, seed: limit);
        Assert.True(text.Length >= 100_000);

        var chunks = KakaoTextChunker.Chunk(text, limit, ChunkMode.Length);

        Assert.Equal(ReferenceChunker.Chunk(text, limit, ChunkMode.Length), chunks);
        Assert.All(chunks, c => Assert.InRange(KakaoText.Length(c), 1, limit));
        Assert.Contains(chunks, c => c.StartsWith("```", StringComparison.Ordinal));
    }

    [Fact]
    public void AHundredThousandCharacterAnswerChunksExactlyAsBeforeByParagraph()
    {
        var text = LongAnswer(100_000, seed: 7);

        Assert.Equal(ReferenceChunker.Chunk(text, 1000, ChunkMode.Newline), KakaoTextChunker.Chunk(text, 1000, ChunkMode.Newline));
    }

    [Fact]
    public void ShortTextsOfFencesBracketsEmojiAndLineBreaksChunkExactlyAsBefore()
    {
        var random = new Random(20261126);
        string[] pieces =
        [
            " ", " ", "\n", "\n", "\r\n", "\n\n", "\t", "(", ")", "```", "```py", "~~~", "  ```", "    ```", "`",
            "a", "b", "word", "가", "나다", "😀", "👨‍👩‍👧", "\u1100\u1161", "e\u0301", "🇰🇷", "\u00a0",
        ];
        for (var n = 0; n < 3000; n++)
        {
            var builder = new StringBuilder();
            var count = random.Next(1, 40);
            for (var i = 0; i < count; i++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            var text = builder.ToString();
            var limit = random.Next(1, 30);
            foreach (var mode in new[] { ChunkMode.Length, ChunkMode.Newline })
            {
                var expected = ReferenceChunker.Chunk(text, limit, mode);
                var actual = KakaoTextChunker.Chunk(text, limit, mode);
                Assert.True(expected.SequenceEqual(actual),
                    $"limit {limit}, {mode}, text \"{Escape(text)}\": expected [{string.Join(" | ", expected.Select(Escape))}], got [{string.Join(" | ", actual.Select(Escape))}]");
            }
        }
    }

    // Korean prose with lists, parentheses, long unbroken tokens, emoji and code blocks longer than a bubble.
    private static string LongAnswer(int length, int seed)
    {
        var random = new Random(seed);
        var builder = new StringBuilder();
        string[] words = ["몰트봇은", "카카오톡에서", "답합니다", "(괄호 안의 설명은 나누지 않아요)", "https://example.com/a/very/long/path?with=query", "😀", "👩‍💻", "코드", "snake_case_name", "e\u0301"];
        while (builder.Length < length)
        {
            switch (random.Next(12))
            {
                case 0:
                    builder.Append("\n\n## 제목 ").Append(random.Next(100)).Append('\n');
                    break;
                case 1:
                    var marker = random.Next(2) == 0 ? "```" : "~~~~";
                    builder.Append('\n').Append(marker).Append("csharp\n");
                    var lines = random.Next(1, 80);
                    for (var i = 0; i < lines; i++)
                    {
                        builder.Append("    var x").Append(i).Append(" = Compute(").Append(i).Append(");\r\n");
                    }

                    builder.Append(marker).Append('\n');
                    break;
                case 2:
                    builder.Append(new string('가', random.Next(1, 1500)));
                    break;
                case 3:
                    builder.Append("\n- ");
                    break;
                default:
                    builder.Append(words[random.Next(words.Length)]).Append(random.Next(6) == 0 ? "\n" : " ");
                    break;
            }
        }

        return builder.ToString();
    }

    private static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
