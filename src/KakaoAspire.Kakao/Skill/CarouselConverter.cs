using System.Text.Json;
using System.Text.Json.Serialization;

namespace KakaoAspire.Kakao.Skill;

// Reads carousel items by the sibling "type" (which may come after "items"), and writes each item as its own card type.
internal sealed class CarouselConverter : JsonConverter<Carousel>
{
    public override Carousel? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("carousel must be a JSON object.");
        }

        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var items = new List<CarouselCard>();
        if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            var cardType = Carousel.CardTypeFor(type)
                ?? throw new JsonException($"carousel.type '{type}' is not one of basicCard, commerceCard, listCard, itemCard, textCard.");
            var typeInfo = options.GetTypeInfo(cardType);
            foreach (var item in array.EnumerateArray())
            {
                if (item.Deserialize(typeInfo) is CarouselCard card)
                {
                    items.Add(card);
                }
            }
        }

        CarouselHeader? header = null;
        if (root.TryGetProperty("header", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            header = (CarouselHeader?)h.Deserialize(options.GetTypeInfo(typeof(CarouselHeader)));
        }

        return new Carousel { Type = type ?? "", Items = items, Header = header };
    }

    public override void Write(Utf8JsonWriter writer, Carousel value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("type", value.Type);
        writer.WriteStartArray("items");
        foreach (var item in value.Items)
        {
            JsonSerializer.Serialize(writer, item, options.GetTypeInfo(item.GetType()));
        }

        writer.WriteEndArray();
        if (value.Header is not null)
        {
            writer.WritePropertyName("header");
            JsonSerializer.Serialize(writer, value.Header, options.GetTypeInfo(typeof(CarouselHeader)));
        }

        writer.WriteEndObject();
    }
}
