namespace KakaoAspire.AgentRouter.Tools;

/// <summary>
/// Whom an agent may message: the user it is talking to and the account's <c>outbound.agentRecipients</c>, nobody
/// else — under dmPolicy "open" any stranger talks to the agent, and must not make it message others.
/// </summary>
public static class RecipientPolicy
{
    public static bool IsAllowed(string to, TurnRequest request, IReadOnlyList<string> agentRecipients)
    {
        var wanted = Normalize(to);
        if (wanted.Length == 0)
        {
            return false;
        }
        var own = Agents.UserAddresses.For(request).Select(Normalize);
        return own.Concat(agentRecipients.Select(Normalize))
            .Any(allowed => string.Equals(allowed, wanted, StringComparison.OrdinalIgnoreCase));
    }

    // kakao:user:<id> is the botUserKey (docs/contracts.md#user-addresses); phone numbers compare by digits, whatever the punctuation.
    private static string Normalize(string address)
    {
        var trimmed = address.Trim();
        if (trimmed.StartsWith("kakao:user:", StringComparison.OrdinalIgnoreCase))
        {
            return "kakao:botUserKey:" + trimmed["kakao:user:".Length..];
        }
        if (trimmed.Length > 0 && trimmed.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ' or '(' or ')'))
        {
            var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
            return digits.StartsWith("82") ? "0" + digits[2..] : digits;
        }
        return trimmed;
    }
}
