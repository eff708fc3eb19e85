using System.Text.Json.Serialization;

namespace KakaoAspire.Kakao.Skill;

// One entry of template.outputs. On the wire it is an object with exactly one key naming the component,
// { "simpleText": {...} }, so it is modelled as one nullable property per component; nulls are not written.
public sealed record SkillOutput
{
    public SimpleText? SimpleText { get; init; }
    public SimpleImage? SimpleImage { get; init; }
    public TextCard? TextCard { get; init; }
    public BasicCard? BasicCard { get; init; }
    public CommerceCard? CommerceCard { get; init; }
    public ListCard? ListCard { get; init; }
    public ItemCard? ItemCard { get; init; }
    public Carousel? Carousel { get; init; }

    /// <summary>The JSON name of the component this output holds, or null when it holds none.</summary>
    [JsonIgnore]
    public string? Kind => Components().FirstOrDefault().Name;

    internal IEnumerable<(string Name, object Value)> Components()
    {
        if (SimpleText is not null) yield return ("simpleText", SimpleText);
        if (SimpleImage is not null) yield return ("simpleImage", SimpleImage);
        if (TextCard is not null) yield return ("textCard", TextCard);
        if (BasicCard is not null) yield return ("basicCard", BasicCard);
        if (CommerceCard is not null) yield return ("commerceCard", CommerceCard);
        if (ListCard is not null) yield return ("listCard", ListCard);
        if (ItemCard is not null) yield return ("itemCard", ItemCard);
        if (Carousel is not null) yield return ("carousel", Carousel);
    }

    public static implicit operator SkillOutput(SimpleText c) => new() { SimpleText = c };
    public static implicit operator SkillOutput(SimpleImage c) => new() { SimpleImage = c };
    public static implicit operator SkillOutput(TextCard c) => new() { TextCard = c };
    public static implicit operator SkillOutput(BasicCard c) => new() { BasicCard = c };
    public static implicit operator SkillOutput(CommerceCard c) => new() { CommerceCard = c };
    public static implicit operator SkillOutput(ListCard c) => new() { ListCard = c };
    public static implicit operator SkillOutput(ItemCard c) => new() { ItemCard = c };
    public static implicit operator SkillOutput(Carousel c) => new() { Carousel = c };
}
