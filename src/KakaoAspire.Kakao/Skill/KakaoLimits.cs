namespace KakaoAspire.Kakao.Skill;

// Kakao's SkillResponse limits, from docs/kakao-skill-protocol.md#limits. Lengths are counted
// in Unicode code points (KakaoText.Length), so a Hangul syllable or an emoji is one character.
public static class KakaoLimits
{
    public const int MaxOutputs = 3;
    public const int MaxQuickReplies = 10;

    // Not in the current docs (docs/kakao-skill-protocol.md#limits, unconfirmed); the libraries truncate at 14, so do we.
    public const int MaxQuickReplyLabel = 14;

    public const int MaxSimpleText = 1000;
    public const int SimpleTextCollapsesAfter = 500;
    public const int MaxAltText = 50;

    public const int MaxCarouselItems = 10;
    public const int MaxListCardCarouselItems = 5;

    public const int MaxButtonsVertical = 3;
    public const int MaxButtonsHorizontal = 2;
    public const int MaxButtonLabel = 14;
    public const int MaxButtonLabelTwoHorizontal = 8;

    public const int MaxTextCardTitle = 50;
    public const int MaxTextCardDescription = 400;
    public const int MaxTextCardDescriptionInCarousel = 128;

    public const int MaxBasicCardTitle = 50;
    public const int MaxBasicCardDescription = 230;

    public const int MaxCommerceCardTitle = 30;
    public const int MaxCommerceCardDescription = 40;

    public const int MaxListCardItems = 5;
    public const int MaxListCardItemsInCarousel = 4;

    public const int MaxItemCardRows = 10;
    public const int MaxItemCardRowsInCarousel = 5;
    public const int MaxItemCardRowTitle = 6;
    public const int MaxItemCardTitleAndDescription = 200;
    public const int MaxItemCardTitleAndDescriptionInCarousel = 100;
    public const int MaxItemCardProfileTitle = 15;
    public const int MaxItemCardSummaryTitle = 6;
    public const int MaxItemCardSummaryDescription = 14;
}
