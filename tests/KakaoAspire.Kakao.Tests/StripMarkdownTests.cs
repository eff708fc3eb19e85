using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Kakao.Tests;

public class StripMarkdownTests
{
    [Theory]
    [InlineData("# 제목", "제목")]
    [InlineData("### Title ###", "Title")]
    [InlineData("**bold** and *italic* and __b2__ and _i2_ and ~~gone~~", "bold and italic and b2 and i2 and gone")]
    [InlineData("see [docs](https://example.com/a) now", "see docs (https://example.com/a) now")]
    [InlineData("[https://example.com](https://example.com)", "https://example.com")]
    [InlineData("![차트](https://example.com/c.png)", "차트 (https://example.com/c.png)")]
    [InlineData("<https://example.com>", "https://example.com")]
    [InlineData("run `a*b*c` now", "run a*b*c now")]
    [InlineData("use my_var_name and 2 * 3 * 4", "use my_var_name and 2 * 3 * 4")]
    [InlineData("- a\n* b\n  + c", "• a\n• b\n  • c")]
    [InlineData("1. first\n2. second", "1. first\n2. second")]
    [InlineData("> quoted\n\n---\n\nend", "quoted\n\nend")]
    public void MarkdownBecomesPlainText(string markdown, string expected)
    {
        Assert.Equal(expected, KakaoText.StripMarkdown(markdown));
    }

    [Fact]
    public void CodeFenceContentIsKeptVerbatimWithoutTheFence()
    {
        var text = KakaoText.StripMarkdown("코드:\n```python\nx = 1 * 2 * 3  # **not bold**\n- not a bullet\n```\n끝");

        Assert.Equal("코드:\nx = 1 * 2 * 3  # **not bold**\n- not a bullet\n끝", text);
    }

    [Theory]
    [InlineData(@"\*별표\* 그대로, 1\. 목록 아님", "*별표* 그대로, 1. 목록 아님")]
    [InlineData("AT&amp;T &lt;3 &#xAC00; &copy;", "AT&T <3 가 ©")]
    [InlineData("줄바꿈<br>다음 줄", "줄바꿈\n다음 줄")]
    [InlineData("**굵게 *안에 기울임* 끝**", "굵게 안에 기울임 끝")]
    [InlineData("[문서][d]\n\n[d]: https://example.com/doc", "문서 (https://example.com/doc)")]
    public void Escapes_entities_and_reference_links_read_as_the_author_meant(string markdown, string expected)
    {
        Assert.Equal(expected, KakaoText.StripMarkdown(markdown));
    }

    [Fact]
    public void A_table_becomes_one_readable_line_per_row_naming_its_columns()
    {
        var text = KakaoText.StripMarkdown("""
            오늘 날씨:

            | 도시 | 기온 | 날씨 |
            |------|-----:|:----:|
            | 서울 | 3°   | 맑음 |
            | 부산 |      | 흐림 |

            끝.
            """);

        Assert.Equal("오늘 날씨:\n\n• 도시: 서울, 기온: 3°, 날씨: 맑음\n• 도시: 부산, 날씨: 흐림\n\n끝.", text);
    }

    [Fact]
    public void Paragraphs_keep_the_blank_lines_the_author_left_and_no_more()
    {
        var text = KakaoText.StripMarkdown("## 요약\n첫 줄\n둘째 줄\n\n\n\n- 하나\n- 둘\n\n1. 가\n   - 나\n2. 다");

        Assert.Equal("요약\n첫 줄\n둘째 줄\n\n• 하나\n• 둘\n\n1. 가\n   • 나\n2. 다", text);
    }

    [Fact]
    public void An_unclosed_fence_keeps_the_rest_as_code()
    {
        Assert.Equal("설치:\nnpm i **x**\n# 주석", KakaoText.StripMarkdown("설치:\n~~~bash\nnpm i **x**\n# 주석"));
    }

    [Fact]
    public void LengthCountsCodePoints()
    {
        Assert.Equal(2, KakaoText.Length("안녕"));
        Assert.Equal(1, KakaoText.Length("😀"));
        Assert.Equal(0, KakaoText.Length(null));
    }
}
