using System.Globalization;
using System.Text;

namespace KakaoAspire.AgentRouter.Sessions;

/// <summary>
/// Session keys as Moltbot forms them (src/routing/session-key.ts), by <c>session.dmScope</c>: lowercase, except that
/// the peer id keeps its case through an escape, because Kakao's ids are case-sensitive (a plusfriendUserKey such as
/// "Xy7AbC" is another person than "xy7abc") and two people must never share a session.
/// </summary>
public static class SessionKeys
{
    public static string ForDirectMessage(string agentId, string channel, string accountId, string peerId, string dmScope)
    {
        var agent = agentId.ToLowerInvariant();
        var peer = EncodePeer(peerId);
        return dmScope switch
        {
            "main" => $"agent:{agent}:main",
            "per-peer" => $"agent:{agent}:dm:{peer}",
            "per-channel-peer" => $"agent:{agent}:{channel.ToLowerInvariant()}:dm:{peer}",
            // The default: strangers on a public channel never share a session, and accounts stay apart.
            _ => $"agent:{agent}:{channel.ToLowerInvariant()}:{accountId.ToLowerInvariant()}:dm:{peer}",
        };
    }

    /// <summary>
    /// The peer id in characters that survive lowercasing (the Moltbot gateway lowercases every session key) and cannot
    /// forge a key's structure: a-z, 0-9 and <c>-_.=+/@</c> as they are; an upper-case letter as <c>~</c> plus the letter
    /// in lower case; <c>~</c> as <c>~~</c>; anything else (<c>:</c>, spaces, non-ASCII) as <c>~.</c> plus four hex digits.
    /// One-to-one, so different ids never meet; an id of only lower-case letters and digits (Kakao's hex botUserKey)
    /// keeps the key it always had.
    /// </summary>
    public static string EncodePeer(string peerId)
    {
        var encoded = new StringBuilder(peerId.Length + 8);
        foreach (var c in peerId)
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '=' or '+' or '/' or '@')
            {
                encoded.Append(c);
            }
            else if (c is >= 'A' and <= 'Z')
            {
                encoded.Append('~').Append((char)(c + ('a' - 'A')));
            }
            else if (c == '~')
            {
                encoded.Append("~~");
            }
            else
            {
                encoded.Append("~.").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }
        return encoded.ToString();
    }

    /// <summary>
    /// Generation 1 is the base key itself; after a <c>/reset</c> the session continues under <c>…:g2</c>, <c>…:g3</c>.
    /// A new key rather than an emptied one, because a Moltbot gateway session can only be reset by an admin.
    /// </summary>
    public static string WithGeneration(string baseKey, long generation) =>
        generation <= 1 ? baseKey : $"{baseKey}:g{generation}";
}
