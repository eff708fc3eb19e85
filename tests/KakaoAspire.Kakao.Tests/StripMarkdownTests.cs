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

    [Fact]
    public void LengthCountsCodePoints()
    {
        Assert.Equal(2, KakaoText.Length("안녕"));
        Assert.Equal(1, KakaoText.Length("😀"));
        Assert.Equal(0, KakaoText.Length(null));
    }
}
