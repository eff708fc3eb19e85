using BenchmarkDotNet.Attributes;
using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Benchmarks;

/// <summary>
/// Markdown to KakaoTalk plain text (a 1 KB agent answer): the Markdig renderer the answers use, against the
/// hand-written regex stripper it replaced (the baseline) and the naive string.Replace chain a developer writes
/// first (wrong on links, lists and fences, but the cost floor).
/// </summary>
public class MarkdownBenchmarks
{
    private readonly string _markdown = Fixtures.MarkdownAnswer();

    [Benchmark(Baseline = true)]
    public int RegexStripper() => RegexMarkdownStripper.Strip(_markdown).Length;

    [Benchmark]
    public int Markdig() => KakaoText.StripMarkdown(_markdown).Length;

    [Benchmark]
    public int ReplaceChain() => _markdown
        .Replace("```", "").Replace("**", "").Replace("~~", "").Replace("`", "")
        .Replace("## ", "").Replace("> ", "").Replace("- ", "• ").Length;
}
