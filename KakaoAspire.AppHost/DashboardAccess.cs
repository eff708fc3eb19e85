using System.Net;
using Microsoft.Extensions.Configuration;

namespace KakaoAspire.AppHost;

/// <summary>
/// The developer launch profile turns the dashboard's login off (<c>ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS</c>), which
/// is fine on localhost only: the dashboard shows every log line, environment variable and resource command. When its
/// address (<c>ASPNETCORE_URLS</c>) reaches beyond this machine, the login stays on and a warning says why.
/// </summary>
public static class DashboardAccess
{
    public const string AllowAnonymous = "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS";
    private const string LegacyAllowAnonymous = "DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS";
    private const string Urls = "ASPNETCORE_URLS";

    /// <summary>The AppHost's arguments, plus <c>ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=false</c> when anonymous access was asked for beyond localhost.</summary>
    public static string[] SecureArgs(string[] args, Func<string, string?> environment, TextWriter warnings)
    {
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [Urls] = environment(Urls),
                [AllowAnonymous] = environment(AllowAnonymous) ?? environment(LegacyAllowAnonymous),
            })
            .AddCommandLine(args)
            .Build();
        var anonymous = bool.TryParse(settings[AllowAnonymous] ?? settings[LegacyAllowAnonymous], out var value) && value;
        var urls = settings[Urls];
        if (!anonymous || string.IsNullOrWhiteSpace(urls) || urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(IsLocalOnly))
        {
            return args;
        }
        warnings.WriteLine(
            $"The dashboard listens beyond localhost ({urls}), so it asks for its login token (printed below) even though " +
            $"{AllowAnonymous} is true. Bind it to localhost to go without.");
        return [.. args, $"{AllowAnonymous}=false", $"{LegacyAllowAnonymous}=false"];
    }

    /// <summary>localhost, 127.x or ::1; "*", "+", 0.0.0.0, a host name or any other address reaches further.</summary>
    public static bool IsLocalOnly(string url)
    {
        var normalized = url.Replace("://*", "://any-host").Replace("://+", "://any-host");
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            return false;
        }
        var host = uri.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
