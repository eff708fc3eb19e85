using KakaoAspire.Webhook.Status;

namespace KakaoAspire.Webhook.Skill;

/// <summary>
/// One skill request's place in its account's inbound count, written once: by <see cref="WriteAsync"/> before a reply
/// that starts no turn (a refusal, "더 보기", "답변 확인"), or by the turn's start script together with the turn. Written
/// only once the write succeeded, so a request that fails before it is counted with its error
/// (<see cref="RecordErrorAsync"/>) and one that fails after it is not counted twice.
/// </summary>
public sealed class InboundCount(AccountActivityStore activity, string accountId)
{
    public bool Written { get; private set; }

    /// <summary>Counts the request unless it already is. Before the reply is composed: a reply never goes out uncounted.</summary>
    public async Task WriteAsync()
    {
        if (!Written)
        {
            await activity.RecordInboundAsync(accountId);
            Written = true;
        }
    }

    /// <summary>The turn's start script counted it (<see cref="TurnStartStore"/>).</summary>
    public void WrittenWithTurnStart() => Written = true;

    /// <summary>Best effort: the error, and the count when the request was not counted yet.</summary>
    public Task RecordErrorAsync(string error) => activity.TryRecordErrorAsync(accountId, error, countInbound: !Written);
}
