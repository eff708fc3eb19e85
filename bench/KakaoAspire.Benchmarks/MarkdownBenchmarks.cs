using BenchmarkDotNet.Attributes;
using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Benchmarks;

/// <summary>
/// Markdown to KakaoTalk plain text (a 1 KB agent answer), against the naive version a developer writes first:
/// a chain of string.Replace calls removing the markers (wrong on links, lists and fences, but the cost floor).
/// </summary>
public class MarkdownBenchmarks
{
    private readonly string _markdown = Fixtures.MarkdownAnswer();

    [Benchmark(Baseline = true)]
    public int ReplaceChain() => _markdown
        .Replace("```", "").Replace("**", "").Replace("~~", "").Replace("`", "")
        .Replace("## ", "").Replace("> ", "").Replace("- ", "• ").Length;

    [Benchmark]
    public int StripMarkdown() => KakaoText.StripMarkdown(_markdown).Length;
}
