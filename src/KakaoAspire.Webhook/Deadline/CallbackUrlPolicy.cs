using System.Globalization;
using System.Net;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>
/// Which callbackUrls we POST to (the SSRF lesson of openclaw#13222): https only, to a host that is listed or ends in
/// "." + a listed <c>*.suffix</c>, on the entry's port (443 when it names none); no user info; plain http only to a
/// loopback address, and only in Development or Testing.
/// </summary>
public static class CallbackUrlPolicy
{
    public static bool IsAllowed(string? url, IReadOnlyList<string> allowedHosts, bool allowLoopbackHttp, out string reason)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            reason = "not an absolute URL";
            return false;
        }
        if (uri.UserInfo.Length > 0)
        {
            reason = "the URL carries user info";
            return false;
        }
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            var loopback = host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            reason = !loopback ? "http is allowed only to a loopback address"
                : !allowLoopbackHttp ? "http to loopback is allowed only in Development or Testing"
                : "";
            return loopback && allowLoopbackHttp;
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            reason = $"scheme {uri.Scheme} is not https";
            return false;
        }
        if (allowedHosts.Any(entry => EntryMatches(host, uri.Port, entry)))
        {
            reason = "";
            return true;
        }
        reason = $"host {host} port {uri.Port} is not in callbackAllowedHosts";
        return false;
    }

    /// <summary>An entry <c>host[:port]</c>: the host pattern, and the port (443, https's own, when none is written).</summary>
    public static bool EntryMatches(string host, int port, string entry)
    {
        var text = entry.Trim();
        var colon = text.LastIndexOf(':');
        var allowedPort = 443;
        if (colon >= 0)
        {
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out allowedPort))
            {
                return false;
            }
            text = text[..colon];
        }
        return port == allowedPort && HostMatches(host, text);
    }

    /// <summary><c>*.kakao.com</c> matches <c>bot-api.kakao.com</c> (dot boundary), not <c>evilkakao.com</c>; a plain name matches itself.</summary>
    public static bool HostMatches(string host, string pattern)
    {
        var p = pattern.Trim().TrimEnd('.').ToLowerInvariant();
        if (p.StartsWith("*.", StringComparison.Ordinal))
        {
            return host.EndsWith(p[1..], StringComparison.Ordinal) && host.Length > p.Length - 1;
        }
        return p.Length > 0 && host == p;
    }
}
