using System.Text.Json.Nodes;
using KakaoAspire.Kakao.Skill;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace KakaoAspire.Webhook.Tests;

/// <summary>
/// What one skill request costs the webhook in Redis commands and router calls. Counted on the webhook's own Redis
/// connection (client-side profiling), for the commands one request sends and nothing else: the request carries its
/// profiling session from this test into the server, and background work (the callback worker) has none.
/// </summary>
public sealed class RoundTripTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private static readonly AsyncLocal<ProfilingSession?> Current = new();

    [Fact]
    public async Task A_new_message_answered_inline_costs_one_Redis_command()
    {
        var client = await ProfiledClientAsync();

        var (commands, response) = await CountAsync(client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "한 번에"));

        Assert.Equal("답변: 한 번에", Skill.Texts(response).Single());
        Assert.True(commands.Count == 1, "Redis commands: " + string.Join(", ", commands));
    }

    [Fact]
    public async Task A_duplicate_of_a_message_being_answered_costs_one_Redis_command()
    {
        var client = await ProfiledClientAsync();
        var user = Skill.NewUser();
        var utterance = "slow:800 중복 " + Guid.NewGuid().ToString("N")[..6];
        var first = Skill.AskAsync(client, TestConfig.Open, Skill.Payload(user, utterance));
        Assert.True(await Eventually(() => fixture.Router.RunsOf(utterance) == 1), "the first copy never reached the router");

        var (commands, response) = await CountAsync(client, TestConfig.Open, Skill.Payload(user, utterance));

        Assert.Equal($"답변: {utterance}", Skill.Texts(response).Single());
        Assert.Equal(Skill.Texts((await first).Response), Skill.Texts(response));
        Assert.Equal(1, fixture.Router.RunsOf(utterance));
        Assert.True(commands.Count == 1, "Redis commands: " + string.Join(", ", commands));
    }

    [Fact]
    public async Task A_message_with_a_held_answer_costs_three_Redis_commands_and_delivers_both_in_order()
    {
        var client = await ProfiledClientAsync();
        var user = Skill.NewUser();
        // Well past the deadline, so it is still running when it is held, even on a busy machine.
        var (held, _) = await Skill.AskAsync(client, TestConfig.Fast, Skill.Payload(user, "slow:2500 늦은 답"));
        Assert.Equal(SkillTexts.StillThinking, Skill.Texts(held).Single());
        await fixture.Router.FinishedAsync("slow:2500 늦은 답", TimeSpan.FromSeconds(10));

        var (commands, response) = await CountAsync(client, TestConfig.Fast, Skill.Payload(user, "새 질문"));

        Assert.Equal(["답변: slow:2500 늦은 답", "답변: 새 질문"], Skill.Texts(response));
        // The round trip before the turn, the held list, the claim of the one held answer.
        Assert.True(commands.Count == 3, "Redis commands: " + string.Join(", ", commands));
    }

    [Fact]
    public async Task Several_delivered_answers_reach_the_router_in_one_delivered_call()
    {
        var client = await ProfiledClientAsync();
        var user = Skill.NewUser();
        // Each still running when the next one is held, so none goes out with a later message: all three are held. The
        // third is held about 2.1 s after the first started (three 0.7 s deadlines), more on a busy machine: 4 s each
        // keeps the first one running past that (2.5 s did not, once, in a full suite run here).
        string[] utterances = ["slow:4000 하나", "slow:4000 둘", "slow:4000 셋"];
        foreach (var utterance in utterances)
        {
            await Skill.AskAsync(client, TestConfig.Fast, Skill.Payload(user, utterance));
        }
        foreach (var utterance in utterances)
        {
            await fixture.Router.FinishedAsync(utterance, TimeSpan.FromSeconds(10));
        }
        var heldTurns = utterances.Select(u => fixture.Router.Runs.Single(r => r.Text == u).TurnId).ToList();

        // The router is slow to take the next delivered call, so whatever is delivered meanwhile waits for one call.
        fixture.Router.HoldDelivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var callsBefore = fixture.Router.DeliveredCalls.Count;
        await Skill.AskAsync(client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "다른 사용자"));
        Assert.True(await Eventually(() => fixture.Router.DeliveredCalls.Count > callsBefore), "the first delivered call never came");
        var (check, _) = await Skill.AskAsync(client, TestConfig.Fast, Skill.Payload(user, SkillTexts.CheckLabel));
        fixture.Router.HoldDelivered.SetResult();
        fixture.Router.HoldDelivered = null;

        Assert.Equal(["답변: slow:4000 하나", "답변: slow:4000 둘", "답변: slow:4000 셋"], Skill.Texts(check));
        Assert.True(await Eventually(() => fixture.Router.DeliveredCalls.Any(call => call.SequenceEqual(heldTurns))),
            "delivered calls: " + string.Join(" | ", fixture.Router.DeliveredCalls.Select(c => string.Join(",", c))));
    }

    /// <summary>A webhook of its own whose Redis commands are profiled per request (its tracing, which profiles too, is off).</summary>
    private async Task<HttpClient> ProfiledClientAsync()
    {
        var factory = fixture.CreateFactory("Testing", TimeSpan.FromSeconds(50),
            new Dictionary<string, string> { ["Aspire:StackExchange:Redis:DisableTracing"] = "true" });
        // The request runs in the test's execution context, so the profiling session set here is the request's.
        factory.Server.PreserveExecutionContext = true;
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        factory.Services.GetRequiredService<IConnectionMultiplexer>().RegisterProfiler(() => Current.Value);
        // Connected, scripts known to the server: what a running service pays per request.
        await Skill.AskAsync(client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "warm-up"));
        return client;
    }

    private static async Task<(IReadOnlyList<string> Commands, SkillResponse Response)> CountAsync(HttpClient client, string account, JsonNode body)
    {
        var session = new ProfilingSession();
        Current.Value = session;
        try
        {
            var (response, _) = await Skill.AskAsync(client, account, body);
            return ([.. session.FinishProfiling().Select(c => c.Command)], response);
        }
        finally
        {
            Current.Value = null;
        }
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition())
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }
}
