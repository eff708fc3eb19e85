using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KakaoAspire.Webhook.Limits;
using KakaoAspire.Webhook.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.Webhook.Tests;

/// <summary>
/// The guide's config (no webhookSecret anywhere) in Development: a secret is generated per account and required;
/// one account opts out; one has a tight per-user rate limit. A stand-in for the edge on the default account's port
/// records what the simulator sends.
/// </summary>
public sealed class GeneratedSecretFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private WebApplication _edge = null!;

    public int Port { get; } = FreePort.Next();
    public RedisServer Redis { get; private set; } = null!;
    public FakeAgentRouter Router { get; private set; } = null!;
    public WebhookFactory Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public ConcurrentQueue<string?> SecretsTheEdgeSaw { get; } = new();

    public string KakaoState => Path.Combine(_dir.Path, "kakao");

    public string SecretFile(string account) => Path.Combine(KakaoState, "webhook-secret-" + account);

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Router = await FakeAgentRouter.StartAsync();
        File.WriteAllText(_dir.File("moltbot.json"), $$"""
        {
          "channels": { "kakao": { "accounts": {
            "default": { "enabled": true, "webhookPort": {{Port}}, "webhookPath": "/kakao/webhook", "dmPolicy": "open" },
            "open": { "webhookPort": 9302, "allowUnauthenticatedWebhook": true },
            "limited": { "webhookPort": 9303, "userRateLimitPerMinute": 6, "userRateLimitBurst": 2, "allowUnauthenticatedWebhook": true }
          } } }
        }
        """);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _edge = builder.Build();
        _edge.MapPost("/kakao/webhook", (HttpRequest request) =>
        {
            SecretsTheEdgeSaw.Enqueue(request.Headers["X-Moltbot-Webhook-Secret"].FirstOrDefault());
            return Results.Json(new { version = "2.0", template = new { outputs = new[] { new { simpleText = new { text = "엣지" } } } } });
        });
        await _edge.StartAsync();
        Factory = new WebhookFactory(Redis.ConnectionString, Router.Url, _dir.File("moltbot.json"), _dir.Path, "Development");
        Client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // The first requests pay for JIT and the Redis connection; the tests are about the warm service.
        await Skill.AskAsync(Client, "open", Skill.Payload("warm-up", "warm-up"));
        await Skill.AskAsync(Client, "open", Skill.Payload("warm-up", "warm-up 2"));
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _edge.DisposeAsync();
        await Router.DisposeAsync();
        await Redis.DisposeAsync();
        _dir.Dispose();
    }
}

public sealed class WebhookAuthTests(GeneratedSecretFixture fixture) : IClassFixture<GeneratedSecretFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Without_a_webhookSecret_in_the_config_one_is_generated_owner_only_and_required()
    {
        var body = Skill.Payload(Skill.NewUser(), "비밀 없이");

        using var missing = await Skill.PostWithoutSecretAsync(Client, "default", body);
        using var wrong = await Skill.PostRawAsync(Client, "default", body.ToJsonString(), (TestConfig.SecretHeader, "guess"));
        var secret = File.ReadAllText(fixture.SecretFile("default")).Trim();
        using var right = await Skill.PostRawAsync(Client, "default", body.ToJsonString(), (TestConfig.SecretHeader, secret));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("헤더값 입력", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.True(secret.Length >= 40, "a generated secret has 256 bits");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fixture.SecretFile("default")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(fixture.KakaoState));
        }
        Assert.DoesNotContain(fixture.Factory.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        Assert.Contains(fixture.Factory.Logs.Lines, line => line.Contains(
            $"Webhook secret for account default is required: in Open Builder, 스킬 → your skill → 헤더값 입력, add the header " +
            $"X-Moltbot-Webhook-Secret with the value from {fixture.SecretFile("default")}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_account_that_opts_out_answers_without_a_secret_and_is_warned_about_at_start()
    {
        var (response, _) = await Skill.AskAsync(Client, "open", Skill.Payload(Skill.NewUser(), "열린 계정"));

        Assert.Equal("답변: 열린 계정", Skill.Texts(response).Single());
        Assert.False(File.Exists(fixture.SecretFile("open")));
        Assert.Contains(fixture.Factory.Logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal)
            && line.Contains("open: allowUnauthenticatedWebhook is true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_simulator_adds_the_generated_secret_on_the_server_so_nobody_types_it()
    {
        using var reply = await Client.PostAsJsonAsync("/simulator/api/send", new { accountId = "default", userId = "sim-user", text = "안녕" });

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal(File.ReadAllText(fixture.SecretFile("default")).Trim(), fixture.SecretsTheEdgeSaw.Last());
    }

    [Fact]
    public async Task A_user_past_the_burst_is_asked_to_wait_while_retries_and_other_users_still_pass()
    {
        var user = Skill.NewUser();
        var first = await Skill.AskAsync(Client, "limited", Skill.Payload(user, "하나"));
        var second = await Skill.AskAsync(Client, "limited", Skill.Payload(user, "둘"));
        var third = await Skill.AskAsync(Client, "limited", Skill.Payload(user, "셋"));
        // Kakao retrying the second request (same payload, inside the dedupe window) is not a new turn.
        var secondAgain = await Skill.AskAsync(Client, "limited", Skill.Payload(user, "둘"));
        var thirdAgain = await Skill.AskAsync(Client, "limited", Skill.Payload(user, "셋"));
        var neighbour = await Skill.AskAsync(Client, "limited", Skill.Payload(Skill.NewUser(), "셋"));

        Assert.Equal("답변: 하나", Skill.Texts(first.Response).Single());
        Assert.Equal("답변: 둘", Skill.Texts(second.Response).Single());
        Assert.StartsWith("메시지를 너무 빨리 보내고 있어요.", Skill.Texts(third.Response).Single());
        Assert.Equal("답변: 둘", Skill.Texts(secondAgain.Response).Single());
        Assert.Equal(Skill.Texts(third.Response), Skill.Texts(thirdAgain.Response));
        Assert.Equal("답변: 셋", Skill.Texts(neighbour.Response).Single());
        Assert.Equal(0, fixture.Router.Runs.Count(r => r.UserId == user && r.Text == "셋"));
    }
}
