using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using KakaoAspire.Kakao.Skill;
using KakaoAspire.Webhook.Dedupe;

namespace KakaoAspire.Benchmarks;

/// <summary>
/// The webhook's dedupe key (DedupeStore.KeyFor: SHA-256 over bot, user, utterance, block and clientExtra, or over
/// the callback URL), against the floor of one SHA-256 of the utterance alone.
/// </summary>
public class DedupeKeyBenchmarks
{
    private SkillPayload _payload = null!;
    private SkillPayload _callbackPayload = null!;

    [GlobalSetup]
    public void Setup()
    {
        _payload = SkillJson.ParsePayload(Fixtures.SkillRequestBasic()).Payload!;
        _callbackPayload = _payload with
        {
            UserRequest = _payload.UserRequest! with { CallbackUrl = "https://bot-api.kakao.com/callback/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" },
        };
    }

    [Benchmark(Baseline = true)]
    public string Sha256OfUtterance() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_payload.Utterance!)));

    [Benchmark]
    public string KeyForMessage() => DedupeStore.KeyFor("default", _payload, 3).Hash;

    [Benchmark]
    public string KeyForCallback() => DedupeStore.KeyFor("default", _callbackPayload, 3).Hash;
}
