using System.Net;

namespace KakaoAspire.Webhook.Tests;

/// <summary>Its own fixture: the test takes Redis and the router away.</summary>
public sealed class HealthFixture : WebhookFixture;

public sealed class HealthTests(HealthFixture fixture) : IClassFixture<HealthFixture>
{
    [Fact]
    public async Task Readiness_fails_while_Redis_or_the_router_is_unreachable_and_liveness_never_depends_on_them()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/health"));

        fixture.Redis.Kill();
        var redisDown = await StatusAsync("/health");
        var aliveWithoutRedis = await StatusAsync("/alive");
        await fixture.Redis.RestartAsync();
        var healthAgain = await EventuallyAsync("/health", HttpStatusCode.OK);

        await fixture.Router.DisposeAsync();
        var routerDown = await StatusAsync("/health");
        var aliveWithoutRouter = await StatusAsync("/alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, redisDown);
        Assert.Equal(HttpStatusCode.OK, aliveWithoutRedis);
        Assert.Equal(HttpStatusCode.OK, healthAgain);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, routerDown);
        Assert.Equal(HttpStatusCode.OK, aliveWithoutRouter);
    }

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        using var response = await fixture.Client.GetAsync(path).WaitAsync(TimeSpan.FromSeconds(30));
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> EventuallyAsync(string path, HttpStatusCode wanted)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var status = await StatusAsync(path);
        while (status != wanted && DateTime.UtcNow < until)
        {
            await Task.Delay(500);
            status = await StatusAsync(path);
        }
        return status;
    }
}
