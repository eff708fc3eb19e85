namespace KakaoAspire.FriendTalk.Messages;

/// <summary>The body of <c>POST /api/v1/messages</c>: Moltbot's <c>send</c> params for the kakao channel.</summary>
public sealed record SendMessageRequest
{
    public string? Channel { get; init; }

    public string? AccountId { get; init; }

    public string? To { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<MessageButton>? Buttons { get; init; }

    public string? ImageUrl { get; init; }

    /// <summary>Moltbot's <c>send</c> name for the image; <see cref="ImageUrl"/> wins when both are given.</summary>
    public string? MediaUrl { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// Whether the message is advertising. Only ads wait for the night window (NHN's rule is for ads); absent means
    /// the account's <c>outbound.isAd</c>, which defaults to false.
    /// </summary>
    public bool? IsAd { get; init; }
}
