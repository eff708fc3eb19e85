using Microsoft.AspNetCore.Mvc.Testing;

namespace KakaoAspire.Webhook.Tests;

/// <summary>The webhook runs a bounded number of agent turns at once; past it a message is answered "busy" at once.</summary>
public sealed class RunningTurnsBoundTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    [Fact]
    public async Task Past_MaxRunning_turns_a_new_message_is_answered_busy_at_once_and_runs_again_once_one_ends()
    {
        await using var factory = fixture.CreateFactory("Testing", TimeSpan.FromSeconds(50),
            new Dictionary<string, string> { ["Turns:MaxRunning"] = "2" });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var tag = Guid.NewGuid().ToString("N")[..6];

        // Two slow turns take both places; their replies leave at the 1 s deadline while the turns go on.
        var slow = await Task.WhenAll(
            Skill.AskAsync(client, TestConfig.Fast, Skill.Payload(Skill.NewUser(), $"slow:3000 하나-{tag}")),
            Skill.AskAsync(client, TestConfig.Fast, Skill.Payload(Skill.NewUser(), $"slow:3000 둘-{tag}")));
        Assert.All(slow, r => Assert.Equal(SkillTexts.StillThinking, Skill.Texts(r.Response).Single()));

        var user = Skill.NewUser();
        var (busy, _) = await Skill.AskAsync(client, TestConfig.Fast, Skill.Payload(user, $"셋-{tag}"));

        Assert.Equal(SkillTexts.Busy, Skill.Texts(busy).Single());
        Assert.Equal(0, fixture.Router.RunsOf($"셋-{tag}"));

        // Once a slow turn ends there is room again.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (var i = 0; ; i++)
        {
            var (answer, _) = await Skill.AskAsync(client, TestConfig.Fast, Skill.Payload(user, $"넷-{tag}-{i}"));
            if (Skill.Texts(answer).Single() != SkillTexts.Busy)
            {
                Assert.Equal($"답변: 넷-{tag}-{i}", Skill.Texts(answer).Single());
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "a place never became free after the slow turns ended");
            await Task.Delay(500);
        }
    }
}
