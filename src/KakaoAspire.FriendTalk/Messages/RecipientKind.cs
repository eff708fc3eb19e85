namespace KakaoAspire.FriendTalk.Messages;

public enum RecipientKind
{
    Phone,
    BotUserKey,
    PlusfriendUserKey,
    AppUserId,
}
