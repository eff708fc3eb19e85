using System.Diagnostics.CodeAnalysis;

namespace KakaoAspire.Kakao.Skill;

/// <summary>
/// The outcome of reading a skill request. On failure <see cref="Error"/> says what is wrong and
/// <see cref="Field"/> names the JSON path of the missing field (null when the body is not valid JSON).
/// </summary>
public sealed record SkillPayloadReadResult
{
    public SkillPayload? Payload { get; init; }
    public string? Error { get; init; }
    public string? Field { get; init; }

    [MemberNotNullWhen(true, nameof(Payload))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Payload is not null && Error is null;

    internal static SkillPayloadReadResult Ok(SkillPayload payload) => new() { Payload = payload };

    internal static SkillPayloadReadResult Fail(string error, string? field = null) => new() { Error = error, Field = field };
}
