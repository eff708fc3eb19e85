using System.Text.Json.Nodes;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The whole app with the Aspire dashboard on (the testing builder turns it off): an open account and a locked one on the
/// same port, so the metrics page has two accounts and two outcomes to show.
/// </summary>
public sealed class DashboardAppFixture() : WholeAppFixture(typeof(Projects.KakaoAspire_AppHost))
{
    public const string OpenAccount = "default";
    public const string LockedAccount = "locked";
    public const string OpenPath = "/kakao/webhook";
    public const string LockedPath = "/kakao/locked";

    public int Port { get; } = FreePort.Next();

    /// <summary>Where the dashboard answers: the test host moves every proxied port, the dashboard's too, so it is read once started.</summary>
    public string DashboardUrl { get; private set; } = "";

    public string? WebhookSecretFor(string path) => path switch
    {
        OpenPath => WebhookSecretHandler.Generated(StateDirectory, OpenAccount),
        LockedPath => WebhookSecretHandler.Generated(StateDirectory, LockedAccount),
        _ => null,
    };

    protected override Task<JsonObject> PrepareAsync() => Task.FromResult(new AppConfig()
        .Account(OpenAccount, AppConfig.WebhookAccount(Port, OpenPath))
        .Account(LockedAccount, AppConfig.WebhookAccount(Port, LockedPath).With("dmPolicy", "disabled"))
        .Build());

    protected override void ConfigureOptions(DistributedApplicationOptions options) => options.DisableDashboard = false;

    // Loopback addresses: anonymous access is fine there (no login in the browser), and the ports are free ones rather
    // than the launch profile's, which a running `dotnet run` may hold.
    protected override IEnumerable<string> Arguments =>
    [
        $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort.Next()}",
        $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
        $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
        "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
        "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
    ];

    protected override async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        await base.WaitUntilReadyAsync(cancellationToken);
        // Once the services are up, the dashboard (started alongside them) has had plenty of time.
        using var dashboardCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        dashboardCts.CancelAfter(TimeSpan.FromSeconds(90));
        await WaitForDashboardAsync(dashboardCts.Token);
    }

    // The dashboard is a process of its own that the orchestrator starts alongside; nothing waits for it.
    private async Task WaitForDashboardAsync(CancellationToken cancellationToken)
    {
        var dashboard = await App.ResourceNotifications.WaitForResourceAsync(
            "aspire-dashboard", e => e.Snapshot.Urls.Any(u => u.Name == "http"), cancellationToken).WaitAsync(cancellationToken);
        DashboardUrl = dashboard.Snapshot.Urls.First(u => u.Name == "http").Url.TrimEnd('/');
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var last = "no answer yet";
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync(DashboardUrl, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = $"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "no answer within 10 s";
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
        }
        throw new TimeoutException($"The dashboard at {DashboardUrl} did not answer ({last}); its resource is {dashboard.Snapshot.State?.Text}.");
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardAppCollection : ICollectionFixture<DashboardAppFixture>
{
    public const string Name = "whole app with the dashboard";
}
