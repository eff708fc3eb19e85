namespace KakaoAspire.FriendTalk.Providers;

/// <summary>NHN puts the app key in the path (<c>/appkeys/{appkey}/</c>): a span of a send or a poll shows it masked.</summary>
public sealed class NhnAppKeyUrlRedaction : IUrlRedactionRule
{
    public void Mask(string[] segments)
    {
        for (var i = 1; i < segments.Length; i++)
        {
            if (segments[i - 1].Equals("appkeys", StringComparison.OrdinalIgnoreCase) && segments[i].Length > 0)
            {
                segments[i] = UrlRedaction.Mask;
            }
        }
    }
}
