using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KakaoAspire.AppHost.Tests;

/// <summary>The links the dashboard shows on the edge resource.</summary>
[Collection(AppCollection.Name)]
public sealed class DashboardLinkTests(AppFixture fixture)
{
    [Fact]
    public async Task The_edge_links_each_accounts_skill_url_and_in_development_the_simulator()
    {
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        var edge = await notifications.WaitForResourceAsync("edge", e => e.Snapshot.Urls.Any(u => u.Url.EndsWith("/kakao/webhook", StringComparison.Ordinal)))
            .WaitAsync(AppFixture.RequestTimeout);

        var urls = edge.Snapshot.Urls.Select(u => u.Url).ToList();
        Assert.Contains($"http://localhost:{fixture.DefaultPort}/kakao/webhook", urls);
        Assert.Contains($"http://localhost:{fixture.LockedPort}/kakao/locked", urls);
        var development = fixture.App.Services.GetRequiredService<IHostEnvironment>().IsDevelopment();
        Assert.Equal(development, urls.Any(u => u.EndsWith("/simulator/", StringComparison.Ordinal)));
    }
}
