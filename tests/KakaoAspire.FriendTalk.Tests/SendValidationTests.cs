using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Tests;

public sealed class SendValidationTests
{
    private static readonly MoltbotConfig Config = MoltbotConfigLoader.Parse("""
        {
          "channels": { "kakao": { "accounts": {
            "default": { "senderKey": "s", "toastAppKey": "a", "toastSecretKey": "k", "adminKey": "ak", "botId": "b" },
            "brand": { "webhookPath": "/b", "senderKey": "s", "toastAppKey": "a", "toastSecretKey": "k",
                       "outbound": { "phoneProvider": "brand-message" } },
            "nokeys": { "webhookPath": "/n" },
            "off": { "webhookPath": "/o", "enabled": false, "senderKey": "s", "toastAppKey": "a", "toastSecretKey": "k" }
          } } }
        }
        """, null, _ => null);

    private static SendMessageRequest Valid(string to = "010-1234-5678", string message = "안녕하세요", string? account = null) =>
        new() { To = to, Message = message, AccountId = account, IdempotencyKey = "key-1" };

    private static Dictionary<string, string[]> Errors(SendMessageRequest request, string? header = null)
    {
        var send = SendValidator.Validate(request, header, Config, out var errors);
        Assert.Null(send);
        return errors;
    }

    [Fact]
    public void AValidPhoneSendGoesToTheAccountsPhoneProvider()
    {
        var send = SendValidator.Validate(Valid(), null, Config, out var errors);
        Assert.Empty(errors);
        Assert.Equal(ProviderKind.FriendtalkCompat, send!.Provider);
        Assert.Equal("01012345678", send.Recipient.Value);
        Assert.Equal(ProviderKind.BrandMessage, SendValidator.Validate(Valid(account: "brand"), null, Config, out _)!.Provider);
        Assert.Equal(ProviderKind.EventApi, SendValidator.Validate(Valid(to: "kakao:user:u1"), null, Config, out _)!.Provider);
    }

    [Fact]
    public void MissingToNamesTheFieldAndTheForms() =>
        Assert.Contains("kakao:botUserKey", Errors(Valid() with { To = null })["to"][0]);

    [Fact]
    public void AnInvalidToIsRefused() =>
        Assert.Contains("neither a Korean mobile number", Errors(Valid(to: "02-123-4567"))["to"][0]);

    [Fact]
    public void AnEmptyMessageIsRefused() =>
        Assert.Contains("required", Errors(Valid(message: "  "))["message"][0]);

    private static ValidatedSend Accepted(SendMessageRequest request)
    {
        var send = SendValidator.Validate(request, null, Config, out var errors);
        Assert.Empty(errors);
        return send!;
    }

    [Fact]
    public void A_friend_talk_message_of_1000_characters_is_one_part_and_a_longer_one_is_split_not_refused()
    {
        Assert.Single(Accepted(Valid(message: new string('가', 1000))).TextParts);

        var text = string.Join("\n\n", Enumerable.Range(1, 5).Select(i => $"{i}번 문단 " + new string('가', 400)));
        var parts = Accepted(Valid(message: text)).TextParts;

        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.True(p.Length <= 1000, $"{p.Length}"));
        Assert.StartsWith("1번 문단", parts[0]);
        Assert.Equal(text.Replace("\n", ""), string.Concat(parts).Replace("\n", ""));
    }

    [Fact]
    public void With_an_image_every_part_keeps_to_400_characters()
    {
        var parts = Accepted(Valid(message: new string('가', 900)) with { ImageUrl = "https://img.example.com/a.png" }).TextParts;

        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.True(p.Length <= 400));
    }

    [Fact]
    public void Brand_message_parts_keep_to_1300_characters_and_99_line_breaks()
    {
        Assert.Single(Accepted(Valid(account: "brand", message: new string('a', 1300))).TextParts);
        Assert.Equal(2, Accepted(Valid(account: "brand", message: new string('a', 1301))).TextParts.Count);

        var parts = Accepted(Valid(account: "brand", message: string.Join('\n', Enumerable.Repeat("a", 101)))).TextParts;
        Assert.Equal(2, parts.Count);
        Assert.All(parts, p => Assert.True(p.Count(c => c == '\n') <= 99));
    }

    [Fact]
    public void Emoji_count_as_two_units_and_still_fit() =>
        Assert.All(Accepted(Valid(message: string.Concat(Enumerable.Repeat("😀", 900)))).TextParts, p => Assert.True(p.Length <= 1000));

    [Fact]
    public void A_message_needing_more_than_20_parts_is_refused_naming_the_limit() =>
        Assert.Contains("at most 20 parts", Errors(Valid(to: "kakao:botUserKey:u", message: new string('a', 20_001)))["message"][0]);

    [Fact]
    public void Whether_a_message_is_an_ad_defaults_to_the_accounts_outbound_isAd()
    {
        var config = MoltbotConfigLoader.Parse("""
            { "channels": { "kakao": { "accounts": {
              "default": { "senderKey": "s", "toastAppKey": "a", "toastSecretKey": "k", "outbound": { "isAd": true } } } } } }
            """, null, _ => null);

        Assert.False(Accepted(Valid()).IsAd);
        Assert.True(Accepted(Valid() with { IsAd = true }).IsAd);
        Assert.True(SendValidator.Validate(Valid(), null, config, out _)!.IsAd);
        Assert.False(SendValidator.Validate(Valid() with { IsAd = false }, null, config, out _)!.IsAd);
    }

    [Fact]
    public void MissingNhnKeysAreNamedWithTheirConfigPathAndFix()
    {
        var errors = Errors(Valid(account: "nokeys"));
        foreach (var key in new[] { "senderKey", "toastAppKey", "toastSecretKey" })
        {
            Assert.Contains("NHN Cloud console", errors[$"channels.kakao.accounts.nokeys.{key}"][0]);
        }
    }

    [Fact]
    public void MissingEventApiKeysAreNamedWithTheirFix()
    {
        var errors = Errors(Valid(to: "kakao:botUserKey:u", account: "nokeys"));
        Assert.Contains("KAKAO_ADMIN_KEY", errors["channels.kakao.accounts.nokeys.adminKey"][0]);
        Assert.Contains("Open Builder bot id", errors["channels.kakao.accounts.nokeys.botId"][0]);
    }

    [Fact]
    public void AnIdempotencyKeyIsRequiredFromTheHeaderOrTheBody()
    {
        Assert.Contains("Idempotency-Key header", Errors(Valid() with { IdempotencyKey = null })["idempotencyKey"][0]);
        Assert.NotNull(SendValidator.Validate(Valid() with { IdempotencyKey = null }, "from-header", Config, out _));
        Assert.Contains("differ", Errors(Valid(), "other-key")["idempotencyKey"][0]);
        Assert.Contains("UUID", Errors(Valid() with { IdempotencyKey = new string('k', 201) })["idempotencyKey"][0]);
    }

    [Fact]
    public void AnUnknownOrDisabledAccountIsRefused()
    {
        Assert.Contains("use one of", Errors(Valid(account: "nope"))["accountId"][0]);
        Assert.Contains("enabled to true", Errors(Valid(account: "off"))["accountId"][0]);
    }

    [Fact]
    public void OnlyTheKakaoChannelIsServed() =>
        Assert.Contains("\"kakao\"", Errors(Valid() with { Channel = "slack" })["channel"][0]);

    [Fact]
    public void ButtonsAndImagesMustBeWebLinksWithinLimits()
    {
        var six = Enumerable.Range(0, 6).Select(i => new MessageButton($"b{i}", "https://e.com")).ToList();
        Assert.Contains("at most 5", Errors(Valid() with { Buttons = six })["buttons"][0]);
        Assert.Contains("http or https", Errors(Valid() with { Buttons = [new MessageButton("열기", "javascript:alert(1)")] })["buttons[0].url"][0]);
        Assert.Contains("1 to 14", Errors(Valid(account: "brand") with { Buttons = [new MessageButton(new string('a', 15), "https://e.com")] })["buttons[0].name"][0]);
        Assert.Contains("http or https", Errors(Valid() with { ImageUrl = "ftp://x/y.png" })["imageUrl"][0]);
    }

    [Fact]
    public void MoltbotsMediaUrlIsTheImage()
    {
        var send = SendValidator.Validate(Valid() with { MediaUrl = "https://img.example.com/a.png" }, null, Config, out _);
        Assert.Equal("https://img.example.com/a.png", send!.ImageUrl);
    }
}
