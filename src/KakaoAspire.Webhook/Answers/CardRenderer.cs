using KakaoAspire.Kakao.Skill;
using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Webhook.Answers;

/// <summary>
/// An agent's cards as Kakao outputs: one card alone, several as a carousel (at most 10 a carousel). Cards that all
/// have an image become basicCards with thumbnails, otherwise textCards. Texts are cut to Kakao's limits with "…"
/// rather than refused: the card is a summary, and the full text is never what a card is for.
/// </summary>
public static class CardRenderer
{
    public static IEnumerable<SkillOutput> Render(IReadOnlyList<TurnCard> cards)
    {
        if (cards.Count == 0)
        {
            yield break;
        }
        var withImages = cards.All(c => IsHttpUrl(c.ImageUrl));
        var inCarousel = cards.Count > 1;
        if (!inCarousel)
        {
            yield return withImages ? (SkillOutput)Basic(cards[0]) : Text(cards[0], inCarousel: false);
            yield break;
        }
        foreach (var group in cards.Chunk(KakaoLimits.MaxCarouselItems))
        {
            yield return withImages
                ? Carousel.Of(group.Select(Basic).ToArray())
                : Carousel.Of(group.Select(c => Text(c, inCarousel: true)).ToArray());
        }
    }

    private static BasicCard Basic(TurnCard card) => new()
    {
        Title = Cut(card.Title, KakaoLimits.MaxBasicCardTitle),
        Description = card.Description is null ? null : Cut(card.Description, KakaoLimits.MaxBasicCardDescription),
        Thumbnail = new Thumbnail(card.ImageUrl!),
        Buttons = Buttons(card),
    };

    private static TextCard Text(TurnCard card, bool inCarousel) => new()
    {
        Title = Cut(card.Title, KakaoLimits.MaxTextCardTitle),
        Description = card.Description is null ? null
            : Cut(card.Description, inCarousel ? KakaoLimits.MaxTextCardDescriptionInCarousel : KakaoLimits.MaxTextCardDescription),
        Buttons = Buttons(card),
    };

    private static IReadOnlyList<Button>? Buttons(TurnCard card)
    {
        var buttons = card.Buttons
            .Where(b => b.Action != TurnButton.WebLink || IsHttpUrl(b.Value))
            .Take(KakaoLimits.MaxButtonsVertical)
            .Select(b => b.Action == TurnButton.WebLink
                ? Button.WebLink(Cut(b.Label, KakaoLimits.MaxButtonLabel), b.Value)
                : Button.Message(Cut(b.Label, KakaoLimits.MaxButtonLabel), b.Value))
            .ToList();
        return buttons.Count == 0 ? null : buttons;
    }

    internal static string Cut(string text, int limit) =>
        KakaoText.Length(text) <= limit
            ? text
            : string.Concat(text.EnumerateRunes().Take(limit - 1).Select(r => r.ToString())) + "…";

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
