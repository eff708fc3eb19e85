using Microsoft.Playwright;

namespace KakaoAspire.AppHost.Tests;

/// <summary>The simulator page in a real browser (Debian's Chromium, driven by Playwright; nothing is downloaded).</summary>
[Collection(AppCollection.Name)]
public sealed class SimulatorBrowserTests(AppFixture fixture)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task AUserTypesAMessageSeesTheAnswerClicksAQuickReplyAndSeesACarousel()
    {
        // A missing browser fails the test: ./scripts/test.sh installs it.
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run ./scripts/test.sh, which installs Debian's chromium.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 800, Height = 900 } });
        page.SetDefaultTimeout(20_000);

        await page.GotoAsync($"http://127.0.0.1:{fixture.DefaultPort}/simulator/");
        await page.WaitForSelectorAsync("body[data-ready=true]");
        await page.FillAsync("#user-id", "browser-user-" + Guid.NewGuid().ToString("N")[..6]);
        await page.FillAsync("#text", "/help");
        await page.ClickAsync("#send");

        var answer = page.Locator(".msg.bot .bubble").Filter(new() { HasText = "몰트봇 기본 에이전트" });
        await answer.First.WaitForAsync();
        await page.Locator(".quick-replies button", new() { HasText = "/demo" }).ClickAsync();
        var cards = page.Locator(".carousel .card");
        await cards.Nth(2).WaitForAsync();

        Assert.Equal(3, await cards.CountAsync());
        Assert.Contains("도움말", await cards.First.InnerTextAsync());
        var screenshots = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "simulator.png"), FullPage = true });
    }
}
