namespace KakaoAspire.AgentRouter.Agents;

/// <summary>The user's typed addresses (docs/contracts.md#user-addresses), case preserved, for /whoami, allowFrom and kakao_send.</summary>
public static class UserAddresses
{
    public static IReadOnlyList<string> For(TurnRequest request)
    {
        var addresses = new List<string>();
        if (!string.IsNullOrWhiteSpace(request.PlusfriendUserKey))
        {
            addresses.Add($"kakao:plusfriendUserKey:{request.PlusfriendUserKey}");
        }
        // Open Builder's user.id is the botUserKey when user.type says so (it usually does).
        var botUserKey = request.BotUserKey
            ?? (string.Equals(request.UserType, "botUserKey", StringComparison.OrdinalIgnoreCase) ? request.UserId : null);
        if (!string.IsNullOrWhiteSpace(botUserKey))
        {
            addresses.Add($"kakao:botUserKey:{botUserKey}");
        }
        if (!string.IsNullOrWhiteSpace(request.AppUserId))
        {
            addresses.Add($"kakao:appUserId:{request.AppUserId}");
        }
        return addresses;
    }
}
