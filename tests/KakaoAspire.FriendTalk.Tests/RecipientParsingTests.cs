using KakaoAspire.FriendTalk.Messages;

namespace KakaoAspire.FriendTalk.Tests;

public sealed class RecipientParsingTests
{
    [Theory]
    [InlineData("+82 10-1234-5678", "01012345678")]
    [InlineData("+82-10-1234-5678", "01012345678")]
    [InlineData("+821012345678", "01012345678")]
    [InlineData("+82 (0)10 1234 5678", "01012345678")]
    [InlineData("+82 010-1234-5678", "01012345678")]
    [InlineData("0082-10-1234-5678", "01012345678")]
    [InlineData("010-1234-5678", "01012345678")]
    [InlineData("010 1234 5678", "01012345678")]
    [InlineData("010.1234.5678", "01012345678")]
    [InlineData("(010) 1234-5678", "01012345678")]
    [InlineData("01012345678", "01012345678")]
    [InlineData("  010-1234-5678  ", "01012345678")]
    [InlineData("011-234-5678", "0112345678")]
    [InlineData("016-1234-5678", "01612345678")]
    [InlineData("+82 19 234 5678", "0192345678")]
    public void CommonKoreanMobileFormsNormalizeToDigits(string written, string digits)
    {
        Assert.True(RecipientParser.TryParse(written, out var recipient, out var error), error);
        Assert.Equal(new Recipient(RecipientKind.Phone, digits), recipient);
    }

    [Theory]
    [InlineData("02-123-4567")]
    [InlineData("031-123-4567")]
    [InlineData("1012345678")]
    [InlineData("010-1234-56789")]
    [InlineData("010-123-456")]
    [InlineData("010-9876-543")]
    [InlineData("+1 415 555 0100")]
    [InlineData("010-abcd-5678")]
    [InlineData("010/1234/5678")]
    [InlineData("012-1234-5678")]
    [InlineData("")]
    [InlineData("   ")]
    public void NonMobileForeignOrMalformedNumbersAreRejectedWithTheAcceptedForms(string written)
    {
        Assert.False(RecipientParser.TryParse(written, out var recipient, out var error));
        Assert.Null(recipient);
        Assert.Contains("010-1234-5678", error);
        Assert.Contains("kakao:botUserKey:<id>", error);
    }

    [Theory]
    [InlineData("kakao:botUserKey:abc123", RecipientKind.BotUserKey, "abc123")]
    [InlineData("kakao:user:abc123", RecipientKind.BotUserKey, "abc123")]
    [InlineData("kakao:plusfriendUserKey:pf-9", RecipientKind.PlusfriendUserKey, "pf-9")]
    [InlineData("kakao:appUserId:42", RecipientKind.AppUserId, "42")]
    [InlineData("KAKAO:BOTUSERKEY:Ab:c", RecipientKind.BotUserKey, "Ab:c")]
    public void KakaoAddressesPickTheirIdType(string written, RecipientKind kind, string id)
    {
        Assert.True(RecipientParser.TryParse(written, out var recipient, out var error), error);
        Assert.Equal(new Recipient(kind, id), recipient);
    }

    [Theory]
    [InlineData("kakao:friend:abc")]
    [InlineData("kakao:botUserKey:")]
    [InlineData("kakao:botUserKey:a b")]
    [InlineData("kakao:abc")]
    public void MalformedKakaoAddressesAreRejected(string written) =>
        Assert.False(RecipientParser.TryParse(written, out _, out _));

    [Fact]
    public void LogsSeeOnlyTheLastFourDigits()
    {
        Assert.Equal("*******5678", new Recipient(RecipientKind.Phone, "01012345678").Masked);
        Assert.Equal("kakao:botUserKey:**********cdef", new Recipient(RecipientKind.BotUserKey, "0123456789cdef").Masked);
        Assert.DoesNotContain("1234", new Recipient(RecipientKind.Phone, "01012345678").ToString());
    }
}
