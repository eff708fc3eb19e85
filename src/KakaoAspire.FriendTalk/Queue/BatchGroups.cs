using System.Security.Cryptography;
using System.Text;
using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.FriendTalk.Providers;

namespace KakaoAspire.FriendTalk.Queue;

/// <summary>
/// Which messages may share one provider request. Friend Talk carries content per recipient, so one group
/// per account; Brand Message shares content and buttons across a request, so one group per distinct content;
/// the Event API sends one message per request.
/// </summary>
public static class BatchGroups
{
    public static string For(OutboundMessage message) => message.Provider switch
    {
        // Ads apart: the night window holds a whole batch, and only ads wait for it.
        ProviderKind.FriendtalkCompat => message.IsAd ? $"ft:{message.AccountId}:ad" : $"ft:{message.AccountId}",
        ProviderKind.BrandMessage => $"bm:{message.AccountId}:{ContentHash(message)}",
        _ => $"ev:{message.AccountId}",
    };

    /// <summary>NHN takes at most this many recipients in one send request.</summary>
    public const int NhnMaxRecipients = 1000;

    public static int MaxBatch(ProviderKind provider, int maxRecipients = NhnMaxRecipients) =>
        provider == ProviderKind.EventApi ? 1 : Math.Min(maxRecipients, NhnMaxRecipients);

    public static ProviderKind ProviderOf(string group) => group[..2] switch
    {
        "ft" => ProviderKind.FriendtalkCompat,
        "bm" => ProviderKind.BrandMessage,
        _ => ProviderKind.EventApi,
    };

    public static string ContentHash(OutboundMessage message)
    {
        var canonical = new StringBuilder()
            .Append(message.Text).Append('\u001f').Append(message.ImageUrl).Append('\u001f').Append(message.IsAd ? "ad" : "").Append('\u001f');
        foreach (var button in message.Buttons)
        {
            canonical.Append(button.Name).Append('\u001e').Append(button.Url).Append('\u001e').Append(button.PcUrl).Append('\u001f');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..16];
    }
}
