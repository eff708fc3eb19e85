namespace KakaoAspire.Contracts;

/// <summary>Every Redis key our services share, in one place, all under the <c>moltbot:</c> prefix.</summary>
public static class RedisKeys
{
    /// <summary>A session's turns, newest last (a list of JSON turns).</summary>
    public static string SessionTurns(string sessionKey) => $"moltbot:session:{sessionKey}:turns";

    /// <summary>The finished answer of a turn, kept until it is delivered.</summary>
    public static string TurnAnswer(string turnId) => $"moltbot:turn:{turnId}:answer";

    /// <summary>An outbound message's record (status, provider ids), a hash.</summary>
    public static string OutboundMessage(string messageId) => $"moltbot:out:msg:{messageId}";
}
