using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Benchmarks;

/// <summary>
/// The built-in agent's answer as the webhook returns it (one simpleText bubble and four quick replies), built with
/// the builder, validated and serialized, against a hand-written Utf8JsonWriter producing byte-identical JSON.
/// </summary>
public class ResponseBuildBenchmarks
{
    private const string Text =
        "받은 메시지: \"내일 오전 9시에 회의 있는지 확인해줘\"\n(기본 에이전트가 답했어요. 이 대화에서 이전 메시지 0개를 기억하고 있어요. /help 로 명령을 볼 수 있어요.)";

    private static readonly string[] Replies = ["/help", "/whoami", "/status", "/reset"];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GlobalSetup]
    public void Setup()
    {
        if (!HandWritten().AsSpan().SequenceEqual(BuildAndSerialize()))
        {
            throw new InvalidOperationException("The hand-written JSON differs from SkillJson's; the comparison would be unfair.");
        }
    }

    [Benchmark(Baseline = true)]
    public byte[] HandWritten()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "2.0");
            writer.WriteStartObject("template");
            writer.WriteStartArray("outputs");
            writer.WriteStartObject();
            writer.WriteStartObject("simpleText");
            writer.WriteString("text", Text);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartArray("quickReplies");
            foreach (var reply in Replies)
            {
                writer.WriteStartObject();
                writer.WriteString("label", reply);
                writer.WriteString("action", "message");
                writer.WriteString("messageText", reply);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public byte[] BuildAndSerialize()
    {
        var builder = SkillResponse.Create().AddText(Text);
        foreach (var reply in Replies)
        {
            builder.AddQuickReply(QuickReply.Message(reply));
        }
        return SkillJson.SerializeToUtf8Bytes(builder.Build());
    }

    // Build() validates; SerializeToUtf8Bytes validates again. This isolates the serializer.
    private readonly SkillResponse _built = SkillResponse.Text(Text, [.. Replies.Select(r => QuickReply.Message(r))]);

    [Benchmark]
    public byte[] SerializeOnly() => JsonSerializer.SerializeToUtf8Bytes(_built, SkillJson.ResponseTypeInfo);
}
