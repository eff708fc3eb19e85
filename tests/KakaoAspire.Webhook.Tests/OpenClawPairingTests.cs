using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KakaoAspire.Webhook.Tests.Fakes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KakaoAspire.Webhook.Tests;

/// <summary>
/// DM pairing of an account whose agent lives in OpenClaw behind the Kakao plugin, against the real gateway
/// (openclaw@2026.9.6 with this repository's plugin) and its real CLI: one pairing store for both sides, so
/// <c>openclaw pairing list|approve kakao</c> and <c>moltbot pairing list|approve kakao</c> see and approve the same code.
/// </summary>
public sealed partial class OpenClawPairingTests(OpenClawPairingFixture fixture) : IClassFixture<OpenClawPairingFixture>
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_new_user_gets_OpenClaw_s_code_once_and_openclaw_pairing_list_kakao_shows_that_code_for_that_user()
    {
        var user = NewUser();

        var (first, _) = await Skill.AskAsync(fixture.Client, OpenClawPairingFixture.Account, Skill.Payload(user, "처음 인사"));
        var text = Skill.Texts(first).Single();
        var code = CodePattern().Match(text).Groups[1].Value;
        var (second, _) = await Skill.AskAsync(fixture.Client, OpenClawPairingFixture.Account, Skill.Payload(user, "또 인사"));
        var openclawList = await fixture.Gateway.RunCliWithoutGatewayAsync(CliTimeout, "pairing", "list", "kakao", "--json");
        var ourList = await fixture.PairingListAsync();

        Assert.Matches("^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$", code);
        Assert.Contains($"openclaw pairing approve kakao {code}", text);
        Assert.Equal(TestConfig.DeniedText, Skill.Texts(second).Single());
        Assert.Matches($"\"code\":\\s*\"{code}\"", openclawList);
        Assert.Single(Regex.Matches(openclawList, $"\"id\":\\s*\"{user}\""));
        Assert.Contains(ourList, r => (string?)r["code"] == code && (string?)r["userId"] == user);
        Assert.DoesNotContain(fixture.Router.Runs, r => r.Text is "처음 인사" or "또 인사");
    }

    [Fact]
    public async Task Openclaw_pairing_approve_kakao_lets_the_user_s_next_message_reach_the_agent_and_ends_our_pending_request()
    {
        var user = NewUser();
        var (first, _) = await Skill.AskAsync(fixture.Client, OpenClawPairingFixture.Account, Skill.Payload(user, "승인 전"));
        var code = CodePattern().Match(Skill.Texts(first).Single()).Groups[1].Value;

        var approve = await fixture.Gateway.RunCliWithoutGatewayAsync(CliTimeout, "pairing", "approve", "kakao", code);
        var ourListAfter = await fixture.PairingListAsync();
        var (next, _) = await Skill.AskAsync(fixture.Client, OpenClawPairingFixture.Account, Skill.Payload(user, "승인 후 첫 메시지"));

        Assert.Contains($"Approved kakao sender {user}", approve);
        Assert.DoesNotContain(ourListAfter, r => (string?)r["code"] == code);
        Assert.Equal("답변: 승인 후 첫 메시지", Skill.Texts(next)[0]);
        Assert.Equal(0, fixture.Router.RunsOf("승인 전"));
    }

    [Fact]
    public async Task Approving_through_the_pairing_api_lets_the_user_in_and_approves_in_OpenClaw_s_store_too()
    {
        var user = NewUser();
        var (first, _) = await Skill.AskAsync(fixture.Client, OpenClawPairingFixture.Account, Skill.Payload(user, "API 승인 전"));
        var code = CodePattern().Match(Skill.Texts(first).Single()).Groups[1].Value;

        using var approve = await fixture.ApiAsync(HttpMethod.Post, "/api/v1/pairing/kakao/approve", new { code });
        var body = await Skill.ReadJsonAsync(approve);
        var (next, _) = await Skill.AskAsync(fixture.Client, OpenClawPairingFixture.Account, Skill.Payload(user, "API 승인 후"));
        var openclawList = await fixture.Gateway.RunCliWithoutGatewayAsync(CliTimeout, "pairing", "list", "kakao", "--json");
        var inOpenClawAllowStore = await fixture.ApprovedInOpenClawAsync(user);

        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Equal((user, "approved"), ((string?)body["userId"], (string?)body["openClaw"]));
        Assert.Equal("답변: API 승인 후", Skill.Texts(next)[0]);
        Assert.DoesNotMatch($"\"code\":\\s*\"{code}\"", openclawList);
        Assert.True(inOpenClawAllowStore, "OpenClaw's allow store does not have the user approved through the pairing API");
    }

    [Fact]
    public async Task With_the_operator_transport_pairing_stays_in_KakaoAspire_s_store_as_before()
    {
        var user = NewUser();
        var client = fixture.OperatorClient;

        var (first, _) = await Skill.AskAsync(client, OpenClawPairingFixture.Account, Skill.Payload(user, "운영자 전송"));
        var text = Skill.Texts(first).Single();
        var code = CodePattern().Match(text).Groups[1].Value;
        using var approve = await fixture.ApiAsync(HttpMethod.Post, "/api/v1/pairing/kakao/approve", new { code }, client);
        var body = await Skill.ReadJsonAsync(approve);

        Assert.Contains($"moltbot pairing approve kakao {code}", text);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Null(body["openClaw"]);
        Assert.False(await fixture.ApprovedInOpenClawAsync(user));
    }

    private static string NewUser() => "OcPair" + Guid.NewGuid().ToString("N")[..10];

    [GeneratedRegex(@"페어링 코드: ([A-Z0-9]{8})")]
    private static partial Regex CodePattern();
}

/// <summary>
/// Real Redis, the fake agent-router, the real OpenClaw gateway with our Kakao plugin, and two webhooks: one reaching
/// the agent through the plugin (transport "plugin"), one through the operator protocol (transport "operator").
/// </summary>
public sealed class OpenClawPairingFixture : IAsyncLifetime
{
    public const string Account = "oc";
    private readonly TempDirectory _dir = new();
    private readonly List<WebhookFactory> _factories = [];

    public RedisServer Redis { get; private set; } = null!;
    public FakeAgentRouter Router { get; private set; } = null!;
    public RealOpenClawGateway Gateway { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public HttpClient OperatorClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Router = await FakeAgentRouter.StartAsync();
        var token = RealOpenClawGateway.NewToken();
        var port = FreePort.Next();
        // The same channels.kakao on both sides, as one config file would give them.
        var kakao = new JsonObject
        {
            ["moltbotGateway"] = new JsonObject { ["url"] = $"ws://127.0.0.1:{port}/", ["transport"] = "plugin" },
            ["accounts"] = new JsonObject { [Account] = new JsonObject { ["webhookPort"] = 9301, ["dmPolicy"] = "pairing" } },
        };
        // No model is needed: no agent turn runs in the gateway here (the fake router answers).
        Gateway = await RealOpenClawGateway.StartAsync("http://127.0.0.1:9/v1", ["main"], port: port, token: token, kakao: kakao);
        await Gateway.WaitUntilReadyAsync(TimeSpan.FromMinutes(5));
        Client = CreateClient("plugin", token, kakao);
        OperatorClient = CreateClient("operator", token, kakao);
    }

    private HttpClient CreateClient(string transport, string token, JsonObject kakao)
    {
        var channel = kakao.DeepClone().AsObject();
        channel["moltbotGateway"]!["transport"] = transport;
        channel["webhookSecret"] = TestConfig.SharedSecret;
        channel["deniedText"] = TestConfig.DeniedText;
        var config = new JsonObject
        {
            ["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = token } },
            ["channels"] = new JsonObject { ["kakao"] = channel },
            ["agents"] = new JsonObject
            {
                ["list"] = new JsonArray(new JsonObject
                {
                    ["id"] = "main", ["default"] = true, ["model"] = new JsonObject { ["provider"] = "moltbot", ["agentId"] = "main" },
                }),
            },
        };
        var path = _dir.File($"moltbot-{transport}.json");
        File.WriteAllText(path, config.ToJsonString());
        var factory = new WebhookFactory(Redis.ConnectionString, Router.Url, path, _dir.File($"state-{transport}"), "Testing");
        _factories.Add(factory);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public async Task<HttpResponseMessage> ApiAsync(HttpMethod method, string path, object? body = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await (client ?? Client).SendAsync(request);
    }

    public async Task<IReadOnlyList<JsonNode>> PairingListAsync()
    {
        using var response = await ApiAsync(HttpMethod.Get, "/api/v1/pairing/kakao");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await Skill.ReadJsonAsync(response))["requests"]!.AsArray().Select(r => r!)];
    }

    /// <summary>Whether OpenClaw's allow store has the user, read through the plugin's pairing route as the webhook reads it.</summary>
    public async Task<bool> ApprovedInOpenClawAsync(string user)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Gateway.Port}") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/kakao/pairing")
        {
            Content = JsonContent.Create(new { action = "approved", accountId = Account, userKeys = new[] { user } }),
        };
        request.Headers.Add(KakaoAspire.Moltbot.Config.OpenClawRelaySecret.Header, KakaoAspire.Moltbot.Config.OpenClawRelaySecret.Derive(Gateway.Token));
        using var response = await http.SendAsync(request);
        var json = await Skill.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        return json["approved"]!.AsArray().Any(a => (string?)a == user);
    }

    public async Task DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        await Router.DisposeAsync();
        await Redis.DisposeAsync();
        _dir.Dispose();
    }
}
