using KakaoAspire.Webhook.Tests.Fakes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KakaoAspire.Webhook.Tests;

/// <summary>Real Redis, fake router, fake Kakao callback receiver and the webhook in the Testing environment.</summary>
public class WebhookFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly List<WebhookFactory> _factories = [];

    public RedisServer Redis { get; private set; } = null!;
    public FakeAgentRouter Router { get; private set; } = null!;
    public CallbackReceiver Kakao { get; private set; } = null!;
    public WebhookFactory Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    protected virtual string Environment => "Testing";
    protected virtual TimeSpan StillThinkingAfter => TimeSpan.FromSeconds(50);

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Router = await FakeAgentRouter.StartAsync();
        Kakao = await CallbackReceiver.StartAsync();
        File.WriteAllText(_dir.File("moltbot.json"), TestConfig.Json);
        Factory = CreateFactory(Environment, StillThinkingAfter);
        Client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // The first requests pay for JIT and the Redis connection; timing assertions are about the warm service.
        await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload("warm-up", "warm-up"));
        await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload("warm-up", "slow:1100 warm-up"));
    }

    public WebhookFactory CreateFactory(string environment, TimeSpan stillThinkingAfter, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new WebhookFactory(Redis.ConnectionString, Router.Url, _dir.File("moltbot.json"), _dir.Path, environment, stillThinkingAfter, settings);
        _factories.Add(factory);
        return factory;
    }

    public async Task DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }
        await Kakao.DisposeAsync();
        await Router.DisposeAsync();
        await Redis.DisposeAsync();
        _dir.Dispose();
    }
}
