namespace KakaoAspire.Kakao.Skill;

// A receipt-like card: a head or a profile, rows of title/description, a summary row (docs/kakao-skill-protocol.md#limits).
public sealed record ItemCard : CarouselCard
{
    public Thumbnail? Thumbnail { get; init; }

    // Kakao takes head or profile, never both.
    public ItemCardHead? Head { get; init; }
    public ItemCardProfile? Profile { get; init; }
    public ItemCardImageTitle? ImageTitle { get; init; }
    public IReadOnlyList<ItemCardRow>? ItemList { get; init; }

    /// <summary>"left" or "right".</summary>
    public string? ItemListAlignment { get; init; }
    public ItemCardRow? ItemListSummary { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
}

public sealed record ItemCardHead(string Title);

public sealed record ItemCardProfile
{
    public string Title { get; init; } = "";
    public string? ImageUrl { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
}

public sealed record ItemCardImageTitle
{
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string? ImageUrl { get; init; }
}

public sealed record ItemCardRow(string Title, string Description);
