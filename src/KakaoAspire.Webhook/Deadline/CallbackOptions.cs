namespace KakaoAspire.Webhook.Deadline;

/// <summary>Timing of the callback POST (API-FACTS §A5), configuration section <c>Callbacks</c>.</summary>
public sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    /// <summary>
    /// A callbackUrl is valid for a minute; at this time after arrival the one POST carries "still thinking" and the
    /// answer is held, so the callback never expires unused.
    /// </summary>
    public TimeSpan StillThinkingAfter { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>Kakao rejected POSTs racing the acknowledgement; wait at least a second (plus the ack's way out).</summary>
    public TimeSpan MinDelayAfterAck { get; set; } = TimeSpan.FromMilliseconds(1200);
}
