using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Providers;

/// <summary>One way out: NHN Friend Talk (compat), NHN Brand Message or Kakao's Event API.</summary>
public interface IOutboundProvider
{
    ProviderKind Kind { get; }

    /// <summary>True when the provider rejects a repeated request with the same key (NHN's X-NC-API-IDEMPOTENCY-KEY).</summary>
    bool HonoursIdempotencyKey { get; }

    /// <summary>The request body for a batch; persisted before the first call so a resend is byte-identical.</summary>
    string BuildRequest(KakaoAccountConfig account, string batchId, IReadOnlyList<OutboundMessage> messages);

    Task<SendOutcome> SendAsync(KakaoAccountConfig account, string body, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// Which of the batch's messages (recipientGroupingKey = message id; for Friend Talk also senderGroupingKey =
    /// batch id) the provider holds, requested since <paramref name="since"/>.
    /// </summary>
    Task<IReadOnlyList<FoundRecipient>> FindAsync(
        KakaoAccountConfig account, string batchId, IReadOnlyList<string> messageIds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    Task<DeliveryResult> GetDeliveryAsync(KakaoAccountConfig account, string requestId, int recipientSeq, CancellationToken cancellationToken);
}
