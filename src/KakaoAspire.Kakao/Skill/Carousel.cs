using System.Text.Json.Serialization;

namespace KakaoAspire.Kakao.Skill;

public static class CarouselTypes
{
    public const string BasicCard = "basicCard";
    public const string CommerceCard = "commerceCard";
    public const string ListCard = "listCard";
    public const string ItemCard = "itemCard";
    public const string TextCard = "textCard";
}

// Up to 10 cards of one type side by side (listCard: 5). The items carry no discriminator of their own;
// "type" decides how they are read, which is why a converter handles this record.
[JsonConverter(typeof(CarouselConverter))]
public sealed record Carousel
{
    public string Type { get; init; } = "";
    public IReadOnlyList<CarouselCard> Items { get; init; } = [];

    // Not allowed for textCard and listCard carousels.
    public CarouselHeader? Header { get; init; }

    public static Carousel Of(params BasicCard[] items) => new() { Type = CarouselTypes.BasicCard, Items = items };
    public static Carousel Of(params CommerceCard[] items) => new() { Type = CarouselTypes.CommerceCard, Items = items };
    public static Carousel Of(params ListCard[] items) => new() { Type = CarouselTypes.ListCard, Items = items };
    public static Carousel Of(params ItemCard[] items) => new() { Type = CarouselTypes.ItemCard, Items = items };
    public static Carousel Of(params TextCard[] items) => new() { Type = CarouselTypes.TextCard, Items = items };

    internal static Type? CardTypeFor(string? type) => type switch
    {
        CarouselTypes.BasicCard => typeof(BasicCard),
        CarouselTypes.CommerceCard => typeof(CommerceCard),
        CarouselTypes.ListCard => typeof(ListCard),
        CarouselTypes.ItemCard => typeof(ItemCard),
        CarouselTypes.TextCard => typeof(TextCard),
        _ => null,
    };
}

public sealed record CarouselHeader
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public Thumbnail? Thumbnail { get; init; }
}
