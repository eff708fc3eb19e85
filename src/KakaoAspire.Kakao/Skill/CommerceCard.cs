namespace KakaoAspire.Kakao.Skill;

public sealed record CommerceCard : CarouselCard
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public int? Price { get; init; }

    // Kakao accepts only "won".
    public string? Currency { get; init; }
    public int? Discount { get; init; }
    public double? DiscountRate { get; init; }

    // Wins over price - discount for display; required with discountRate (docs/kakao-skill-protocol.md#limits).
    public int? DiscountedPrice { get; init; }

    // Exactly one.
    public IReadOnlyList<Thumbnail>? Thumbnails { get; init; }
    public Profile? Profile { get; init; }
    public bool? Forwardable { get; init; }
}
