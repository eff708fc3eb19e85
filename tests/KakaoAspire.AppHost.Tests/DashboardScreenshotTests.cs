using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The Aspire dashboard's metrics page in a real browser (Debian's Chromium, driven by Playwright), taken from the
/// whole app with the dashboard on; the picture in the README is the one this test writes.
/// </summary>
[Collection(DashboardAppCollection.Name)]
public sealed class DashboardScreenshotTests(DashboardAppFixture fixture)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_dashboard_shows_skill_requests_by_account_and_outcome_and_the_readme_picture_is_taken_from_it()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run ./scripts/test.sh, which installs Debian's chromium.");
        await SendSkillRequestsAsync();

        using var playwright = await Playwright.CreateAsync().WaitAsync(BrowserTimeout);
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run"],
        }).WaitAsync(BrowserTimeout);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1500, Height = 950 },
            Locale = "en-US",
        }).WaitAsync(BrowserTimeout);
        page.SetDefaultTimeout((float)BrowserTimeout.TotalMilliseconds);

        try
        {
            await ShowSkillRequestsAsync(page);
        }
        catch
        {
            await SaveWhatTheBrowserSawAsync(page);
            throw;
        }

        var picture = Path.Combine(RepositoryPaths.Root, "docs", "dashboard-metrics.png");
        var taken = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png }).WaitAsync(BrowserTimeout);
        // Written only now, after every assertion held: a failed run leaves the README's picture as it was.
        await File.WriteAllBytesAsync(picture, taken);
    }

    private async Task ShowSkillRequestsAsync(IPage page)
    {
        // What an operator does: open Metrics for the webhook, pick the skill-requests instrument in the tree.
        await page.GotoAsync($"{fixture.DashboardUrl}/metrics/resource/webhook");
        await page.Locator("fluent-tree-item[title='kakao.skill.requests']").ClickAsync();
        await page.GetByText("Skill requests by how they were answered").WaitForAsync();

        // Under the chart, each dimension lists its values once data points have arrived (the services export every
        // second). The open account's answers are inline or, on a slow machine, held; the locked one's are denied.
        foreach (var value in new[] { DashboardAppFixture.OpenAccount, DashboardAppFixture.LockedAccount, "denied" })
        {
            await page.GetByRole(AriaRole.Button, new() { Name = value, Exact = true }).WaitForAsync();
        }
        // The chart itself: Plotly draws the series as an SVG line once its points are in.
        await page.Locator(".js-plotly-plot .scatterlayer .trace path.js-line").First.WaitForAsync();

        Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = "kakao.skill.requests", Exact = true }).IsVisibleAsync(),
            "the selected instrument's name is the chart's heading");
        Assert.True(await page.GetByRole(AriaRole.Gridcell, new() { Name = WebhookDimensions.Account, Exact = true }).IsVisibleAsync(),
            "the account dimension is listed under the chart");
        Assert.True(await page.GetByRole(AriaRole.Gridcell, new() { Name = WebhookDimensions.Outcome, Exact = true }).IsVisibleAsync(),
            "the outcome dimension is listed under the chart");
    }

    // Next to the simulator's screenshot, never over the README's picture; a page too broken to save must not hide why
    // the test failed.
    private static async Task SaveWhatTheBrowserSawAsync(IPage page)
    {
        try
        {
            var screenshots = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");
            Directory.CreateDirectory(screenshots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "dashboard-metrics-failed.png") })
                .WaitAsync(BrowserTimeout);
            await File.WriteAllTextAsync(Path.Combine(screenshots, "dashboard-metrics-failed.html"), await page.ContentAsync().WaitAsync(BrowserTimeout));
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException or IOException)
        {
        }
    }

    private async Task SendSkillRequestsAsync()
    {
        using var client = new HttpClient(new WebhookSecretHandler(fixture.WebhookSecretFor)) { Timeout = AppFixture.RequestTimeout };
        for (var i = 0; i < 3; i++)
        {
            var (response, _) = await SkillPath.PostAsync(client, $"http://127.0.0.1:{fixture.Port}{DashboardAppFixture.OpenPath}",
                SkillPath.Payload("/help", $"dashboard-user-{i}"));
            Assert.True(response.IsSuccessStatusCode, $"the open account answered {(int)response.StatusCode}");
        }
        for (var i = 0; i < 2; i++)
        {
            var (response, _) = await SkillPath.PostAsync(client, $"http://127.0.0.1:{fixture.Port}{DashboardAppFixture.LockedPath}",
                SkillPath.Payload("안녕하세요", $"dashboard-stranger-{i}"));
            Assert.True(response.IsSuccessStatusCode, $"the locked account answered {(int)response.StatusCode}");
        }
    }

    /// <summary>The tag names of kakao.skill.requests (WebhookMetrics), as the dashboard lists them.</summary>
    private static class WebhookDimensions
    {
        public const string Account = "kakao.account_id";
        public const string Outcome = "kakao.skill.outcome";
    }
}

/// <summary>
/// The whole app with the Aspire dashboard on, anonymous and on loopback ports of its own: one open account, one
/// disabled one (so the outcome dimension has more than one value), the built-in agent, the process Redis.
/// </summary>
public sealed class DashboardAppFixture : IAsyncLifetime
{
    public const string OpenAccount = "default";
    public const string LockedAccount = "locked";
    public const string OpenPath = "/kakao/webhook";
    public const string LockedPath = "/kakao/locked";

    private readonly KakaoAspire.TestSupport.TempDirectory _state = new();
    private readonly int _resourceServicePort = FreePort.Next();

    public int Port { get; } = FreePort.Next();

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Where the dashboard answers: the test host moves every proxied port, the dashboard's too, so it is read once started.</summary>
    public string DashboardUrl { get; private set; } = "";

    private string ConfigPath => _state.File("moltbot.json");

    private string StateDirectory => _state.File("state");

    public string? WebhookSecretFor(string path) => path switch
    {
        OpenPath => WebhookSecretHandler.Generated(StateDirectory, OpenAccount),
        LockedPath => WebhookSecretHandler.Generated(StateDirectory, LockedAccount),
        _ => null,
    };

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(ConfigPath, new JsonObject
        {
            ["channels"] = new JsonObject
            {
                ["kakao"] = new JsonObject
                {
                    ["accounts"] = new JsonObject
                    {
                        [OpenAccount] = new JsonObject { ["webhookPort"] = Port, ["webhookPath"] = OpenPath },
                        [LockedAccount] = new JsonObject
                        {
                            ["webhookPort"] = Port, ["webhookPath"] = LockedPath, ["dmPolicy"] = "disabled",
                        },
                    },
                },
            },
        }.ToJsonString());

        using var cts = new CancellationTokenSource(AppFixture.StartTimeout);
        // The testing builder turns the dashboard off; turning it on must be decided when the builder is created, so the
        // settings go in as arguments. Loopback addresses: anonymous access is fine there (no login in the browser), and
        // the ports are free ones rather than the launch profile's, which a running `dotnet run` may hold.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.KakaoAspire_AppHost>(
            [
                $"--Moltbot:ConfigPath={ConfigPath}",
                $"--Moltbot:StateDirectory={StateDirectory}",
                "--Redis:Mode=process",
                $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort.Next()}",
                $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
                $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{_resourceServicePort}",
                "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
                "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
            ],
            (options, _) => options.DisableDashboard = false,
            cts.Token).WaitAsync(cts.Token);

        App = await builder.BuildAsync(cts.Token).WaitAsync(cts.Token);
        await App.StartAsync(cts.Token).WaitAsync(cts.Token);
        foreach (var name in new[] { "redis", "agent-router", "friendtalk", "webhook", "edge" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token).WaitAsync(cts.Token);
        }
        // Once the services are up, the dashboard (started alongside them) has had plenty of time.
        using var dashboardCts = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
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

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await App.StopAsync(cts.Token).WaitAsync(cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                // Teardown that hangs must not fail the run; the orchestrator cleans up its children.
            }
            await App.DisposeAsync();
        }
        _state.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardAppCollection : ICollectionFixture<DashboardAppFixture>
{
    public const string Name = "whole app with the dashboard";
}
