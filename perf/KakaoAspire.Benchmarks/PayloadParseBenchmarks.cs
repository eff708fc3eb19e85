using System.Text.Json;
using BenchmarkDotNet.Attributes;
using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Benchmarks;

/// <summary>Reading Open Builder's request (1.4 KB, Korean text), against the floor of a plain DOM parse of the same bytes.</summary>
public class PayloadParseBenchmarks
{
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        _body = Fixtures.SkillRequestBasic();
        if (!SkillJson.ParsePayload(_body).Success)
        {
            throw new InvalidOperationException("The fixture does not parse.");
        }
    }

    [Benchmark(Baseline = true)]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(_body);
        return document.RootElement.GetProperty("userRequest").GetProperty("utterance").GetString()!.Length;
    }

    [Benchmark]
    public int ParsePayloadSpan() => SkillJson.ParsePayload(_body).Payload!.Utterance!.Length;

    // What the webhook calls: the request body is a stream.
    [Benchmark]
    public async Task<int> ParsePayloadStream()
    {
        using var stream = new MemoryStream(_body, writable: false);
        var read = await SkillJson.ParsePayloadAsync(stream);
        return read.Payload!.Utterance!.Length;
    }
}
