namespace KakaoAspire.Webhook.Deadline;

/// <summary>
/// Kakao's callback URL carries a one-use token after its <c>callback</c> segment: a span of the callback POST shows
/// the URL up to it, never the token.
/// </summary>
public sealed class KakaoCallbackUrlRedaction : IUrlRedactionRule
{
    public void Mask(string[] segments)
    {
        var callback = false;
        for (var i = 0; i < segments.Length; i++)
        {
            if (callback)
            {
                segments[i] = UrlRedaction.Mask;
                continue;
            }
            callback = segments[i].Contains("callback", StringComparison.OrdinalIgnoreCase);
        }
    }
}
