using System.Text.Json.Serialization;

namespace KakaoAspire.Kakao.Skill;

// Objects shared by the cards (docs/kakao-skill-protocol.md#response).

public sealed record Thumbnail
{
    public Thumbnail() { }

    public Thumbnail(string imageUrl, string? altText = null)
    {
        ImageUrl = imageUrl;
        AltText = altText;
    }

    public string ImageUrl { get; init; } = "";
    public string? AltText { get; init; }
    public Link? Link { get; init; }

    // true = 1:1 with at most 2 horizontal buttons; false = 2:1 crop with vertical buttons.
    public bool? FixedRatio { get; init; }

    // itemCard thumbnails carry their pixel size.
    public int? Width { get; init; }
    public int? Height { get; init; }
}

public sealed record Link
{
    public string? Pc { get; init; }
    public string? Mobile { get; init; }

    // When set, web wins over pc and mobile.
    public string? Web { get; init; }
}

public sealed record Profile
{
    public Profile() { }

    public Profile(string nickname, string? imageUrl = null)
    {
        Nickname = nickname;
        ImageUrl = imageUrl;
    }

    public string Nickname { get; init; } = "";
    public string? ImageUrl { get; init; }
}

public static class ButtonLayouts
{
    public const string Vertical = "vertical";
    public const string Horizontal = "horizontal";
}

// The base of everything a carousel can hold; the carousel's "type" says which one.
public abstract record CarouselCard
{
    // Written after the card's own fields, where Kakao's examples put them.
    [JsonPropertyOrder(100)]
    public IReadOnlyList<Button>? Buttons { get; init; }

    /// <summary><see cref="ButtonLayouts.Vertical"/> (≤ 3 buttons) or <see cref="ButtonLayouts.Horizontal"/> (≤ 2); overrides fixedRatio.</summary>
    [JsonPropertyOrder(101)]
    public string? ButtonLayout { get; init; }
}
