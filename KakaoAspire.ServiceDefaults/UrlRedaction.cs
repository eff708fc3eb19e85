namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps credentials that providers put in URL paths out of traces: NHN's app key (<c>/appkeys/{appkey}/</c>) and
/// the one-use token of a Kakao callback URL. Query strings are already redacted by the HTTP instrumentation.
/// </summary>
public static class UrlRedaction
{
    public const string Mask = "***";

    public static string Redact(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return uri?.ToString() ?? "";
        }
        var segments = uri.AbsolutePath.Split('/');
        var callback = false;
        for (var i = 0; i < segments.Length; i++)
        {
            if (callback)
            {
                segments[i] = Mask;
                continue;
            }
            if (i > 0 && segments[i - 1].Equals("appkeys", StringComparison.OrdinalIgnoreCase) && segments[i].Length > 0)
            {
                segments[i] = Mask;
            }
            callback = segments[i].Contains("callback", StringComparison.OrdinalIgnoreCase);
        }
        var query = uri.Query.Length > 0 ? "?" + Mask : "";
        return $"{uri.Scheme}://{uri.Authority}{string.Join('/', segments)}{query}";
    }
}
