using System.Text.Json.Serialization;

namespace KakaoAspire.Kakao.Skill;

// Kakao's reply to the POST on a callbackUrl (docs/kakao-skill-protocol.md#callback). Quote TaskId to Kakao support.
public sealed record CallbackResult
{
    public string? TaskId { get; init; }

    /// <summary>SUCCESS, FAIL or ERROR.</summary>
    public string? Status { get; init; }
    public string? Message { get; init; }

    /// <summary>Task creation time, Unix milliseconds in observed replies.</summary>
    public long? Timestamp { get; init; }

    [JsonIgnore]
    public bool IsSuccess => string.Equals(Status, "SUCCESS", StringComparison.OrdinalIgnoreCase);
}
