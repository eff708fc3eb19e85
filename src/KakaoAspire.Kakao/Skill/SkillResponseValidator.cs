using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Kakao.Skill;

// Checks a SkillResponse against the limits of docs/kakao-skill-protocol.md#limits before it leaves, because Kakao rejects the
// whole bubble ("Invalid json response from bot-skill") without saying which field was wrong. Line-based
// limits ("2 lines") have no character count and are not checked.
internal static class SkillResponseValidator
{
    private static readonly HashSet<string> KnownButtonActions =
    [
        ButtonActions.WebLink, ButtonActions.Message, ButtonActions.Phone, ButtonActions.Block,
        ButtonActions.Share, ButtonActions.Operator, ButtonActions.AddChannel,
    ];

    public static void Validate(SkillResponse response)
    {
        if (response.Version != SkillResponse.CurrentVersion)
        {
            throw new KakaoLimitException("version", $"version is '{response.Version}'; Kakao requires \"2.0\" (anything else is read as the legacy format).");
        }

        var isAck = response.UseCallback == true;
        if (response.Template is { } template)
        {
            ValidateTemplate(template, isAck);
        }
        else if (!isAck && response.Data is null)
        {
            throw new KakaoLimitException("template", "template is missing; a SkillResponse needs a template unless it is a useCallback acknowledgement or carries only data.");
        }

        if (response.Context is { } context)
        {
            for (var i = 0; i < context.Values.Count; i++)
            {
                var value = context.Values[i];
                var path = $"context.values[{i}]";
                Required(value.Name, $"{path}.name");
                if (value.LifeSpan < 0)
                {
                    throw new KakaoLimitException($"{path}.lifeSpan", $"{path}.lifeSpan is {value.LifeSpan}; it must be 0 (delete) or more.");
                }
            }
        }
    }

    private static void ValidateTemplate(SkillTemplate template, bool isAck)
    {
        var outputs = template.Outputs ?? [];
        // docs/kakao-skill-protocol.md#limits: 1–3 outputs; Kakao ignores the template of a callback ack, so an empty one is fine there.
        if (outputs.Count == 0 && !isAck)
        {
            throw new KakaoLimitException("template.outputs", "template.outputs is empty; Kakao requires 1 to 3 outputs (0 only with useCallback).", 0, KakaoLimits.MaxOutputs);
        }

        Max(outputs.Count, KakaoLimits.MaxOutputs, "template.outputs", "outputs");
        for (var i = 0; i < outputs.Count; i++)
        {
            ValidateOutput(outputs[i], $"template.outputs[{i}]");
        }

        var quickReplies = template.QuickReplies ?? [];
        Max(quickReplies.Count, KakaoLimits.MaxQuickReplies, "template.quickReplies", "quick replies");
        for (var i = 0; i < quickReplies.Count; i++)
        {
            var reply = quickReplies[i];
            var path = $"template.quickReplies[{i}]";
            Required(reply.Label, $"{path}.label");
            MaxLength(reply.Label, KakaoLimits.MaxQuickReplyLabel, $"{path}.label");
            ValidateMessageOrBlock(reply.Action, reply.BlockId, path);
        }
    }

    private static void ValidateOutput(SkillOutput output, string path)
    {
        var components = output.Components().ToList();
        if (components.Count != 1)
        {
            throw new KakaoLimitException(path, $"{path} holds {components.Count} components; each output must hold exactly one (simpleText, basicCard, carousel, ...).");
        }

        var (name, value) = components[0];
        var inner = $"{path}.{name}";
        switch (value)
        {
            case SimpleText text:
                Required(text.Text, $"{inner}.text");
                MaxLength(text.Text, KakaoLimits.MaxSimpleText, $"{inner}.text");
                break;
            case SimpleImage image:
                Required(image.ImageUrl, $"{inner}.imageUrl");
                MaxLength(image.AltText, KakaoLimits.MaxAltText, $"{inner}.altText");
                break;
            case Carousel carousel:
                ValidateCarousel(carousel, inner);
                break;
            case CarouselCard card:
                ValidateCard(card, inner, inCarousel: false);
                break;
        }
    }

    private static void ValidateCarousel(Carousel carousel, string path)
    {
        var cardType = Carousel.CardTypeFor(carousel.Type)
            ?? throw new KakaoLimitException($"{path}.type", $"{path}.type is '{carousel.Type}'; Kakao allows basicCard, commerceCard, listCard, itemCard or textCard.");
        var items = carousel.Items ?? [];
        if (items.Count == 0)
        {
            throw new KakaoLimitException($"{path}.items", $"{path}.items is empty; a carousel needs at least one card.", 0, KakaoLimits.MaxCarouselItems);
        }

        var max = carousel.Type == CarouselTypes.ListCard ? KakaoLimits.MaxListCardCarouselItems : KakaoLimits.MaxCarouselItems;
        Max(items.Count, max, $"{path}.items", $"{carousel.Type} carousel items");

        // docs/kakao-skill-protocol.md#limits: textCard and listCard carousels take no CarouselHeader.
        if (carousel.Header is not null && carousel.Type is CarouselTypes.TextCard or CarouselTypes.ListCard)
        {
            throw new KakaoLimitException($"{path}.header", $"{path}.header is set; Kakao allows no header on a {carousel.Type} carousel.");
        }

        if (carousel.Header?.Thumbnail is { } headerThumbnail)
        {
            ValidateThumbnail(headerThumbnail, $"{path}.header.thumbnail");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}.items[{i}]";
            if (items[i].GetType() != cardType)
            {
                throw new KakaoLimitException(itemPath, $"{itemPath} is a {items[i].GetType().Name} but the carousel type is '{carousel.Type}'; all items must match it.");
            }

            ValidateCard(items[i], itemPath, inCarousel: true);
        }
    }

    private static void ValidateCard(CarouselCard card, string path, bool inCarousel)
    {
        var thumbnail = card switch
        {
            TextCard text => ValidateTextCard(text, path, inCarousel),
            BasicCard basic => ValidateBasicCard(basic, path),
            CommerceCard commerce => ValidateCommerceCard(commerce, path),
            ListCard list => ValidateListCard(list, path, inCarousel),
            ItemCard item => ValidateItemCard(item, path, inCarousel),
            _ => null,
        };
        ValidateButtons(card, thumbnail, path);
    }

    private static Thumbnail? ValidateTextCard(TextCard text, string path, bool inCarousel)
    {
        if (string.IsNullOrEmpty(text.Title) && string.IsNullOrEmpty(text.Description))
        {
            throw new KakaoLimitException(path, $"{path} has neither title nor description; Kakao requires one of them.");
        }

        MaxLength(text.Title, KakaoLimits.MaxTextCardTitle, $"{path}.title");
        MaxLength(text.Description, inCarousel ? KakaoLimits.MaxTextCardDescriptionInCarousel : KakaoLimits.MaxTextCardDescription, $"{path}.description");
        if (!inCarousel)
        {
            // docs/kakao-skill-protocol.md#limits: outside a carousel title and description share the 400.
            var total = KakaoText.Length(text.Title) + KakaoText.Length(text.Description);
            if (total > KakaoLimits.MaxTextCardDescription)
            {
                throw new KakaoLimitException($"{path}.description", $"{path}.description is too long: title + description is {total} characters; Kakao allows at most {KakaoLimits.MaxTextCardDescription}", total, KakaoLimits.MaxTextCardDescription);
            }
        }

        return null;
    }

    private static Thumbnail ValidateBasicCard(BasicCard basic, string path)
    {
        var thumbnail = basic.Thumbnail ?? throw new KakaoLimitException($"{path}.thumbnail", $"{path}.thumbnail is missing; Kakao requires it on a basicCard (use a textCard without an image).");
        ValidateThumbnail(thumbnail, $"{path}.thumbnail");
        MaxLength(basic.Title, KakaoLimits.MaxBasicCardTitle, $"{path}.title");
        MaxLength(basic.Description, KakaoLimits.MaxBasicCardDescription, $"{path}.description");
        ValidateProfile(basic.Profile, $"{path}.profile");
        return thumbnail;
    }

    private static Thumbnail ValidateCommerceCard(CommerceCard commerce, string path)
    {
        MaxLength(commerce.Title, KakaoLimits.MaxCommerceCardTitle, $"{path}.title");
        MaxLength(commerce.Description, KakaoLimits.MaxCommerceCardDescription, $"{path}.description");
        if (commerce.Price is null)
        {
            throw new KakaoLimitException($"{path}.price", $"{path}.price is missing; Kakao requires it on a commerceCard.");
        }

        if (commerce.Currency is not null && commerce.Currency != "won")
        {
            throw new KakaoLimitException($"{path}.currency", $"{path}.currency is '{commerce.Currency}'; Kakao accepts only \"won\".");
        }

        if (commerce.DiscountRate is not null && commerce.DiscountedPrice is null)
        {
            throw new KakaoLimitException($"{path}.discountedPrice", $"{path}.discountedPrice is missing; Kakao requires it with discountRate.");
        }

        var thumbnails = commerce.Thumbnails ?? [];
        if (thumbnails.Count != 1)
        {
            throw new KakaoLimitException($"{path}.thumbnails", $"{path}.thumbnails has {thumbnails.Count} entries; Kakao requires exactly 1.", thumbnails.Count, 1);
        }

        var thumbnail = thumbnails[0];
        ValidateThumbnail(thumbnail, $"{path}.thumbnails[0]");
        ValidateProfile(commerce.Profile, $"{path}.profile");
        return thumbnail;
    }

    private static Thumbnail? ValidateListCard(ListCard list, string path, bool inCarousel)
    {
        if (string.IsNullOrEmpty(list.Header?.Title))
        {
            throw new KakaoLimitException($"{path}.header.title", $"{path}.header.title is missing; Kakao requires a listCard header title.");
        }

        var items = list.Items ?? [];
        if (items.Count == 0)
        {
            throw new KakaoLimitException($"{path}.items", $"{path}.items is empty; a listCard needs at least one item.", 0, KakaoLimits.MaxListCardItems);
        }

        Max(items.Count, inCarousel ? KakaoLimits.MaxListCardItemsInCarousel : KakaoLimits.MaxListCardItems, $"{path}.items", inCarousel ? "listCard items in a carousel" : "listCard items");
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}.items[{i}]";
            Required(items[i].Title, $"{itemPath}.title");
            if (items[i].Action is not null)
            {
                ValidateMessageOrBlock(items[i].Action!, items[i].BlockId, itemPath);
            }
        }

        return null;
    }

    private static Thumbnail? ValidateItemCard(ItemCard card, string path, bool inCarousel)
    {
        if (card.Head is not null && card.Profile is not null)
        {
            throw new KakaoLimitException($"{path}.profile", $"{path}.profile is set together with head; Kakao allows only one of them.");
        }

        MaxLength(card.Profile?.Title, KakaoLimits.MaxItemCardProfileTitle, $"{path}.profile.title");
        var rows = card.ItemList ?? [];
        if (rows.Count == 0)
        {
            throw new KakaoLimitException($"{path}.itemList", $"{path}.itemList is empty; Kakao requires at least one row.", 0, KakaoLimits.MaxItemCardRows);
        }

        Max(rows.Count, inCarousel ? KakaoLimits.MaxItemCardRowsInCarousel : KakaoLimits.MaxItemCardRows, $"{path}.itemList", inCarousel ? "itemCard rows in a carousel" : "itemCard rows");
        for (var i = 0; i < rows.Count; i++)
        {
            MaxLength(rows[i].Title, KakaoLimits.MaxItemCardRowTitle, $"{path}.itemList[{i}].title");
        }

        if (card.ItemListSummary is { } summary)
        {
            MaxLength(summary.Title, KakaoLimits.MaxItemCardSummaryTitle, $"{path}.itemListSummary.title");
            MaxLength(summary.Description, KakaoLimits.MaxItemCardSummaryDescription, $"{path}.itemListSummary.description");
        }

        var max = inCarousel ? KakaoLimits.MaxItemCardTitleAndDescriptionInCarousel : KakaoLimits.MaxItemCardTitleAndDescription;
        var total = KakaoText.Length(card.Title) + KakaoText.Length(card.Description);
        if (total > max)
        {
            throw new KakaoLimitException($"{path}.description", $"{path}.description is too long: title + description is {total} characters; Kakao allows at most {max}", total, max);
        }

        if (card.ItemListAlignment is not null and not ("left" or "right"))
        {
            throw new KakaoLimitException($"{path}.itemListAlignment", $"{path}.itemListAlignment is '{card.ItemListAlignment}'; Kakao allows \"left\" or \"right\".");
        }

        if (card.Thumbnail is { } thumbnail)
        {
            ValidateThumbnail(thumbnail, $"{path}.thumbnail");
        }

        return card.Thumbnail;
    }

    // docs/kakao-skill-protocol.md#limits: ≤ 3 buttons stacked vertically, ≤ 2 side by side; labels ≤ 14, ≤ 8 when two sit side by side.
    // buttonLayout overrides the thumbnail's fixedRatio, which otherwise means horizontal.
    private static void ValidateButtons(CarouselCard card, Thumbnail? thumbnail, string path)
    {
        var buttons = card.Buttons ?? [];
        if (card.ButtonLayout is not null and not (ButtonLayouts.Vertical or ButtonLayouts.Horizontal))
        {
            throw new KakaoLimitException($"{path}.buttonLayout", $"{path}.buttonLayout is '{card.ButtonLayout}'; Kakao allows \"vertical\" or \"horizontal\".");
        }

        var horizontal = card.ButtonLayout == ButtonLayouts.Horizontal
            || (card.ButtonLayout is null && thumbnail?.FixedRatio == true);
        Max(buttons.Count, horizontal ? KakaoLimits.MaxButtonsHorizontal : KakaoLimits.MaxButtonsVertical, $"{path}.buttons",
            horizontal ? "horizontal buttons" : "buttons");
        var labelMax = horizontal && buttons.Count == 2 ? KakaoLimits.MaxButtonLabelTwoHorizontal : KakaoLimits.MaxButtonLabel;
        for (var i = 0; i < buttons.Count; i++)
        {
            ValidateButton(buttons[i], $"{path}.buttons[{i}]", labelMax);
        }
    }

    private static void ValidateButton(Button button, string path, int labelMax)
    {
        Required(button.Label, $"{path}.label");
        MaxLength(button.Label, labelMax, $"{path}.label");
        if (!KnownButtonActions.Contains(button.Action))
        {
            throw new KakaoLimitException($"{path}.action", $"{path}.action is '{button.Action}'; Kakao allows {string.Join(", ", KnownButtonActions)}.");
        }

        switch (button.Action)
        {
            case ButtonActions.WebLink:
                Required(button.WebLinkUrl, $"{path}.webLinkUrl");
                if (!Uri.TryCreate(button.WebLinkUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    throw new KakaoLimitException($"{path}.webLinkUrl", $"{path}.webLinkUrl '{button.WebLinkUrl}' is not an http(s) URL; Kakao opens only those.");
                }

                break;
            case ButtonActions.Message:
                Required(button.MessageText, $"{path}.messageText");
                break;
            case ButtonActions.Phone:
                Required(button.PhoneNumber, $"{path}.phoneNumber");
                break;
            case ButtonActions.Block:
                Required(button.BlockId, $"{path}.blockId");
                break;
        }
    }

    private static void ValidateMessageOrBlock(string action, string? blockId, string path)
    {
        if (action is not (ButtonActions.Message or ButtonActions.Block))
        {
            throw new KakaoLimitException($"{path}.action", $"{path}.action is '{action}'; Kakao allows \"message\" or \"block\".");
        }

        if (action == ButtonActions.Block)
        {
            Required(blockId, $"{path}.blockId");
        }
    }

    private static void ValidateThumbnail(Thumbnail thumbnail, string path)
    {
        Required(thumbnail.ImageUrl, $"{path}.imageUrl");
        MaxLength(thumbnail.AltText, KakaoLimits.MaxAltText, $"{path}.altText");
    }

    private static void ValidateProfile(Profile? profile, string path)
    {
        if (profile is not null)
        {
            Required(profile.Nickname, $"{path}.nickname");
        }
    }

    private static void Required(string? value, string path)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new KakaoLimitException(path, $"{path} is missing or empty; Kakao requires it.");
        }
    }

    private static void MaxLength(string? value, int max, string path)
    {
        var length = KakaoText.Length(value);
        if (length > max)
        {
            throw new KakaoLimitException(path, $"{path} is {length} characters; Kakao allows at most {max}", length, max);
        }
    }

    private static void Max(int count, int max, string path, string what)
    {
        if (count > max)
        {
            throw new KakaoLimitException(path, $"{path} has {count} {what}; Kakao allows at most {max}", count, max);
        }
    }
}
