using System.Net;

namespace KakaoAspire.Reliability.Tests;

/// <summary>One request 20 times at once (Kakao's retries, a proxy's) runs the agent once.</summary>
[Collection(ReliabilityCollection.Name)]
public sealed class DuplicateStormTests(ReliabilityApp app, ITestOutputHelper output)
{
    private const int Copies = 20;

    [Fact]
    public async Task TwentyConcurrentCopiesOfOneRequestAreOneAgentRunAndOneAnswer()
    {
        using var client = app.Edge();
        var utterance = "한 번만 실행 " + Guid.NewGuid().ToString("N")[..8];
        var payload = Skill.Payload(utterance, Skill.NewUser("Storm"));
        var answer = "폭풍 속 한 번의 답 " + Guid.NewGuid().ToString("N")[..6];
        app.Control.AnswerWith(answer);
        app.Control.Delay = TimeSpan.FromSeconds(1.5); // the copies arrive while the first run is still working
        try
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, Copies).Select(_ => Skill.PostAsync(client, "/kakao/ctl", payload)));
            await Task.Delay(1500);
            var runs = app.Control.Requests.Count(r => r.Body["messages"]?.AsArray().LastOrDefault()?["content"]?.ToString() == utterance);
            output.WriteLine($"{Copies} copies: {replies.Count(r => r.Status == HttpStatusCode.OK)}x HTTP 200, " +
                $"{replies.Count(r => r.FirstText == answer)}x the answer, agent runs {runs}, max {replies.Max(r => r.Elapsed.TotalMilliseconds):F0} ms");

            Assert.Equal(1, runs);
            Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
            Assert.All(replies, r => Assert.Equal(answer, r.FirstText));
        }
        finally
        {
            app.Control.Delay = TimeSpan.Zero;
        }
    }
}
