using KakaoAspire.AppHost;

namespace KakaoAspire.AppHost.Tests;

/// <summary>The developer profile's anonymous dashboard is for localhost only.</summary>
public sealed class DashboardAccessTests
{
    private static Func<string, string?> Env(string? urls, string? anonymous) => name => name switch
    {
        "ASPNETCORE_URLS" => urls,
        "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS" => anonymous,
        _ => null,
    };

    [Theory]
    [InlineData("http://0.0.0.0:15188")]
    [InlineData("http://*:15188")]
    [InlineData("http://+:15188")]
    [InlineData("http://192.0.2.2:15188")]
    [InlineData("http://my-server.example:15188")]
    [InlineData("http://localhost:15188;http://[::]:15189")]
    public void An_anonymous_dashboard_bound_beyond_localhost_asks_for_its_login_token(string urls)
    {
        var warnings = new StringWriter();

        var args = DashboardAccess.SecureArgs(["--Redis:Mode=process"], Env(urls, "true"), warnings);

        Assert.Contains("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=false", args);
        Assert.Contains("--Redis:Mode=process", args);
        Assert.Contains("login token", warnings.ToString());
    }

    [Fact]
    public void Urls_given_as_an_argument_count_too()
    {
        var args = DashboardAccess.SecureArgs(["ASPNETCORE_URLS=http://0.0.0.0:15188"], Env("http://localhost:15188", "true"), TextWriter.Null);

        Assert.Contains("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=false", args);
    }

    [Theory]
    [InlineData("http://localhost:15188", "true")]
    [InlineData("http://127.0.0.1:15188;http://[::1]:15188", "true")]
    [InlineData("http://0.0.0.0:15188", null)]
    [InlineData("http://0.0.0.0:15188", "false")]
    public void On_localhost_or_with_the_login_on_nothing_changes(string urls, string? anonymous)
    {
        string[] given = ["--Moltbot:ConfigPath=/x.json"];

        Assert.Equal(given, DashboardAccess.SecureArgs(given, Env(urls, anonymous), TextWriter.Null));
    }
}
