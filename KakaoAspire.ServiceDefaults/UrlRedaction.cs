using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A service's rule for a credential that one of its providers puts in a URL path (an app key, a one-use token):
/// it masks the path segments that carry it, so the URL of an outgoing call reaches a trace without it.
/// </summary>
public interface IUrlRedactionRule
{
    /// <summary>
    /// Replaces with <see cref="UrlRedaction.Mask"/> each segment of <paramref name="segments"/> (the absolute path split
    /// on '/', so <c>segments[0]</c> is the empty text before the first '/') that carries a secret.
    /// </summary>
    void Mask(string[] segments);
}

/// <summary>
/// The <c>url.full</c> of every outgoing call's span: the query is always masked (the HTTP instrumentation's own
/// redaction of it is overwritten here), the path by the rules the services registered with
/// <see cref="UrlRedactionExtensions.AddUrlRedaction"/>. Service defaults know no provider's URL shape.
/// </summary>
public sealed class UrlRedaction(IEnumerable<IUrlRedactionRule> rules)
{
    public const string Mask = "***";

    private readonly IUrlRedactionRule[] _rules = [.. rules];

    public string Redact(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return uri?.ToString() ?? "";
        }
        var path = uri.AbsolutePath;
        if (_rules.Length > 0)
        {
            var segments = path.Split('/');
            foreach (var rule in _rules)
            {
                rule.Mask(segments);
            }
            path = string.Join('/', segments);
        }
        var query = uri.Query.Length > 0 ? "?" + Mask : "";
        return $"{uri.Scheme}://{uri.Authority}{path}{query}";
    }
}

public static class UrlRedactionExtensions
{
    /// <summary>Masks what <paramref name="rule"/> finds in the URL path of this service's outgoing calls' spans.</summary>
    public static IServiceCollection AddUrlRedaction(this IServiceCollection services, IUrlRedactionRule rule) =>
        services.AddSingleton(rule);
}
