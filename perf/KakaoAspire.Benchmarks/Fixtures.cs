using System.Text;

namespace KakaoAspire.Benchmarks;

internal static class Fixtures
{
    public static byte[] SkillRequestBasic()
    {
        using var stream = typeof(Fixtures).Assembly.GetManifestResourceStream("skill-request-basic.json")
            ?? throw new InvalidOperationException("skill-request-basic.json is not embedded.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>
    /// Korean prose of about <paramref name="length"/> characters shaped like an agent answer: sentences, spaces,
    /// a newline every few sentences and a blank line between paragraphs.
    /// </summary>
    public static string KoreanText(int length)
    {
        string[] sentences =
        [
            "내일 오전 9시에 팀 회의가 있어요.",
            "회의실은 3층 대회의실이고 발표 자료는 공유 드라이브에 올려 두었습니다.",
            "참석자는 김민수, 이서연, 박지훈 님입니다.",
            "회의 전에 지난주 회의록을 한 번 읽어 보시면 좋겠어요.",
            "점심은 회의가 끝난 뒤 근처 식당에서 함께 먹기로 했어요.",
        ];
        var builder = new StringBuilder(length + 100);
        var i = 0;
        while (builder.Length < length)
        {
            builder.Append(sentences[i % sentences.Length]);
            builder.Append(++i % 12 == 0 ? "\n\n" : i % 4 == 0 ? "\n" : " ");
        }
        return builder.ToString(0, length);
    }

    /// <summary>An agent answer in Markdown: heading, bold, a list, a link, inline code and a fenced block.</summary>
    public static string MarkdownAnswer()
    {
        const string section = """
            ## 내일 일정

            **오전 9시** 팀 회의가 *3층 대회의실*에서 있어요.
            - 발표 자료: [공유 드라이브](https://drive.example.com/slides)
            - 준비물: `노트북`, 지난주 회의록
            - ~~오후 2시 외부 미팅~~ 취소되었어요.

            > 회의 전에 회의록을 읽어 보세요.

            ```
            09:00 팀 회의
            12:00 점심
            ```

            """;
        return string.Concat(Enumerable.Repeat(section, 4));
    }
}
