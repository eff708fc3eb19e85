using System.Text.Json.Serialization;

namespace KakaoAspire.Kakao.Skill;

// Source-generated metadata: no reflection at runtime, trimming- and AOT-safe. Kakao's JSON is case-sensitive camelCase.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(SkillPayload))]
[JsonSerializable(typeof(SkillResponse))]
[JsonSerializable(typeof(CallbackResult))]
[JsonSerializable(typeof(BasicCard))]
[JsonSerializable(typeof(CommerceCard))]
[JsonSerializable(typeof(ListCard))]
[JsonSerializable(typeof(ItemCard))]
[JsonSerializable(typeof(TextCard))]
[JsonSerializable(typeof(CarouselHeader))]
internal sealed partial class SkillJsonContext : JsonSerializerContext;
