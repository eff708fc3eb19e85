namespace KakaoAspire.Contracts;

/// <summary>A card in an agent's answer; the webhook renders one as a card and several as a carousel.</summary>
public sealed record TurnCard
{
    public required string Title { get; init; }
    public string? Description { get; init; }
    /// <summary>With an image the card is a basicCard, without one a textCard.</summary>
    public string? ImageUrl { get; init; }
    public IReadOnlyList<TurnButton> Buttons { get; init; } = [];
}

/// <summary>A card button: <c>message</c> sends <see cref="Value"/> as the user's next utterance, <c>webLink</c> opens it.</summary>
public sealed record TurnButton(string Label, string Action, string Value)
{
    public const string Message = "message";
    public const string WebLink = "webLink";
}
