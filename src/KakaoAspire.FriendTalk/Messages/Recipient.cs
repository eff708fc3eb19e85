namespace KakaoAspire.FriendTalk.Messages;

/// <summary>A parsed <c>to</c>: a Korean mobile number as digits (<c>01012345678</c>) or a Kakao user id of one type.</summary>
public sealed record Recipient(RecipientKind Kind, string Value)
{
    public bool IsPhone => Kind == RecipientKind.Phone;

    /// <summary>The Event API's <c>user[].type</c>.</summary>
    public string EventApiType => Kind switch
    {
        RecipientKind.BotUserKey => "botUserKey",
        RecipientKind.PlusfriendUserKey => "plusfriendUserKey",
        RecipientKind.AppUserId => "appUserId",
        _ => throw new InvalidOperationException("A phone number has no Event API user type."),
    };

    /// <summary>For logs and the status API: only the last 4 characters show.</summary>
    public string Masked => IsPhone ? PhoneNumber.Mask(Value) : $"kakao:{EventApiType}:{PhoneNumber.Mask(Value)}";

    public override string ToString() => Masked;
}
