using BenchmarkDotNet.Attributes;
using KakaoAspire.Kakao.Skill;
using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Benchmarks;

/// <summary>Splitting a long Korean answer into 1,000-character bubbles, against string.Split on newlines of the same text.</summary>
public class ChunkBenchmarks
{
    private string _text = "";

    [Params(2_000, 10_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup() => _text = Fixtures.KoreanText(Length);

    [Benchmark(Baseline = true)]
    public int StringSplit() => _text.Split('\n').Length;

    [Benchmark]
    public int ChunkByLength() => KakaoTextChunker.Chunk(_text, KakaoLimits.MaxSimpleText, ChunkMode.Length).Count;

    [Benchmark]
    public int ChunkByParagraph() => KakaoTextChunker.Chunk(_text, KakaoLimits.MaxSimpleText, ChunkMode.Newline).Count;
}
