namespace KakaoAspire.Webhook.Deadline;

/// <summary>Timing of the callback POST (docs/kakao-skill-protocol.md#callback), configuration section <c>Callbacks</c>.</summary>
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

    /// <summary>Kakao's callback lifetime: past it a POST is refused, so a job taken up later is dropped and its answer stays held.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a replica's claim on a job lasts without renewal (renewed every third of it). A replica that dies stops
    /// renewing; another takes the job within this plus <see cref="SweepInterval"/>, well inside <see cref="Lifetime"/>.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each replica looks for jobs whose owner's lease ran out.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a replica that took over a job asks whether its turn has an answer yet.</summary>
    public TimeSpan AnswerPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Jobs one replica works on at once; over it the request is answered without a callback and the answer stays held.</summary>
    public int MaxPending { get; set; } = 1000;
}
