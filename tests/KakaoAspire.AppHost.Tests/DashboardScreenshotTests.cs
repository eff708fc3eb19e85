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
    // How long one click has to show the instrument's chart before it is clicked again.
    private static readonly TimeSpan InstrumentShown = TimeSpan.FromSeconds(15);

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
        // The tree grows as the services' meters arrive, and a row that moves under the click selects its neighbour (a
        // slow run showed the meter's overview instead): click until the instrument's own chart is the one shown.
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator("fluent-tree-item[title='kakao.skill.requests']").ClickAsync();
            try
            {
                await page.GetByRole(AriaRole.Heading, new() { Name = "kakao.skill.requests", Exact = true })
                    .WaitForAsync(new() { Timeout = (float)InstrumentShown.TotalMilliseconds });
                break;
            }
            catch (Exception e) when (e is TimeoutException or PlaywrightException && attempt < 3)
            {
            }
        }
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
            var (response, _) = await Skill.PostAsync(client, $"http://127.0.0.1:{fixture.Port}{DashboardAppFixture.OpenPath}",
                Skill.Payload("/help", $"dashboard-user-{i}"));
            Assert.True(response.IsSuccessStatusCode, $"the open account answered {(int)response.StatusCode}");
        }
        for (var i = 0; i < 2; i++)
        {
            var (response, _) = await Skill.PostAsync(client, $"http://127.0.0.1:{fixture.Port}{DashboardAppFixture.LockedPath}",
                Skill.Payload("안녕하세요", $"dashboard-stranger-{i}"));
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
