using KakaoAspire.Cli.Gateway;

namespace KakaoAspire.Cli.Tests;

/// <summary>`moltbot gateway run` is the server start: Production, whatever the developer's shell or launch profile says.</summary>
public sealed class GatewayRunStartTests
{
    [Fact]
    public void Gateway_run_starts_the_AppHost_in_Production_without_the_developer_launch_profile()
    {
        var previous = (Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"), Environment.GetEnvironmentVariable("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"));
        // A developer's shell may export these; the server start must not inherit them.
        Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", "Development");
        Environment.SetEnvironmentVariable("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", "true");
        try
        {
            var start = GatewayRunCommand.StartInfo("/repo/KakaoAspire.AppHost/KakaoAspire.AppHost.csproj", "/home/me/.moltbot.json");

            Assert.Equal("dotnet", start.FileName);
            Assert.Equal(["run", "--project", "/repo/KakaoAspire.AppHost/KakaoAspire.AppHost.csproj", "--no-launch-profile"], start.ArgumentList);
            Assert.DoesNotContain("--launch-profile", start.ArgumentList);
            Assert.Equal("Production", start.Environment["DOTNET_ENVIRONMENT"]);
            Assert.Equal("Production", start.Environment["ASPNETCORE_ENVIRONMENT"]);
            Assert.False(start.Environment.ContainsKey("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"), "the dashboard must ask for its login token");
            Assert.StartsWith("http://localhost:", start.Environment["ASPNETCORE_URLS"]);
            Assert.Equal("/home/me/.moltbot.json", start.Environment["MOLTBOT_CONFIG_PATH"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", previous.Item1);
            Environment.SetEnvironmentVariable("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", previous.Item2);
        }
    }
}
