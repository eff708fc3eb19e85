using System.Net;
using System.Text;

namespace KakaoAspire.Reliability.Tests;

/// <summary>
/// A full scenario with known secret values and real-looking phone numbers — sends, refusals, skill requests,
/// status. No secret in any resource's log line or any error body; phone numbers and message texts only masked in logs.
/// (The whole-app SecretsTests checks the logs after a little traffic; this adds error bodies, more routes and traffic.)
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class SecretsAndMaskingTests(ReliabilityApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task SecretsAppearInNoLogLineOrErrorBodyAndPhoneNumbersAndTextsOnlyMasked()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var messageText = $"고객님 주문이 출발했어요 {tag}";
        var utterance = $"제 번호는 010-5555-6666 이고 비밀 이야기 {tag}";
        string[] phones = ["010-9876-5432", "+82 10-1111-2222", "01033334444"];
        string[] phoneDigits = ["01098765432", "9876-5432", "98765432", "01011112222", "10-1111-2222", "11112222", "01033334444", "33334444", "5555-6666", "01055556666"];
        var bodies = new List<(string What, HttpStatusCode Status, string Body)>();

        using var api = app.Edge(ReliabilityApp.GatewayToken);
        var ids = new List<string>();
        foreach (var phone in phones)
        {
            ids.Add(await Outbound.AcceptAsync(api, phone, messageText));
        }
        async Task Api(string what, HttpClient client, object body)
        {
            var (status, _, raw, response) = await Outbound.SendAsync(client, body);
            response.Dispose();
            bodies.Add((what, status, raw));
        }
        await Api("invalid number", api, new { to = "010-98-76", message = messageText, idempotencyKey = Guid.NewGuid().ToString() });
        await Api("too long", api, new { to = phones[0], message = new string('가', 1001), idempotencyKey = Guid.NewGuid().ToString() });
        var key = Guid.NewGuid().ToString();
        await Api("key, first use", api, new { to = phones[1], message = "다른 내용", idempotencyKey = key });
        await Api("same key, other body", api, new { to = phones[1], message = "또 다른 내용", idempotencyKey = key });
        using (var wrong = app.Edge("wrong-" + ReliabilityApp.GatewayToken))
        {
            await Api("wrong token", wrong, new { to = phones[0], message = messageText, idempotencyKey = Guid.NewGuid().ToString() });
        }
        using (var raw = new StringContent("{\"to\": \"010-9876-5432\", \"message\": ", Encoding.UTF8, "application/json"))
        using (var response = await api.PostAsync("/api/v1/messages", raw).WaitAsync(ReliabilityApp.RequestTimeout))
        {
            bodies.Add(("broken JSON", response.StatusCode, await response.Content.ReadAsStringAsync()));
        }
        using (var status = await api.GetAsync("/api/v1/status").WaitAsync(ReliabilityApp.RequestTimeout))
        {
            bodies.Add(("status", status.StatusCode, await status.Content.ReadAsStringAsync()));
        }

        using var kakao = app.Edge();
        using var stranger = app.Stranger();
        async Task Webhook(string what, string? secret, string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/kakao/guarded") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (secret is not null)
            {
                request.Headers.Add("X-Moltbot-Webhook-Secret", secret);
            }
            using var response = await (secret is null ? stranger : kakao).SendAsync(request).WaitAsync(ReliabilityApp.RequestTimeout);
            bodies.Add((what, response.StatusCode, await response.Content.ReadAsStringAsync()));
        }
        var skill = Skill.Payload(utterance, Skill.NewUser("Secrets")).ToJsonString();
        await Webhook("no webhook secret", null, skill);
        await Webhook("wrong webhook secret", "x" + ReliabilityApp.WebhookSecret, skill);
        await Webhook("right webhook secret", ReliabilityApp.WebhookSecret, skill);
        await Webhook("broken skill JSON", ReliabilityApp.WebhookSecret, skill[..(skill.Length / 2)]);
        foreach (var id in ids)
        {
            Assert.Contains(await Outbound.WaitSentAsync(api, id, TimeSpan.FromSeconds(30)), new[] { "sent", "delivered" });
        }
        await Task.Delay(1500); // logs arrive through the orchestrator

        var redis = await app.App.GetConnectionStringAsync("redis").AsTask().WaitAsync(ReliabilityApp.RequestTimeout);
        var redisPassword = redis!.Split(',').Single(p => p.StartsWith("password=", StringComparison.Ordinal))["password=".Length..];
        var secrets = app.Secrets.Append(redisPassword).Append("wrong-" + ReliabilityApp.GatewayToken).ToList();
        var lines = app.AllLogLines.ToList();
        output.WriteLine($"{lines.Count} log lines from {app.Logs.Count} resources; {bodies.Count} response bodies: " +
            string.Join(", ", bodies.Select(b => $"{b.What} {(int)b.Status}")));

        Assert.Contains(bodies, b => b.What == "right webhook secret" && b.Status == HttpStatusCode.OK);
        Assert.Contains(bodies, b => b.What == "no webhook secret" && b.Status == HttpStatusCode.Unauthorized);
        Assert.Contains(bodies, b => b.Status == HttpStatusCode.UnprocessableEntity);
        for (var i = 0; i < secrets.Count; i++)
        {
            var secret = secrets[i];
            var leaks = app.Logs.SelectMany(r => r.Value.Where(l => l.Contains(secret, StringComparison.Ordinal)).Select(l => $"{r.Key}: {l.Replace(secret, "<secret>")}")).ToList();
            Assert.True(leaks.Count == 0, $"secret #{i} in {leaks.Count} log lines, e.g. {leaks.FirstOrDefault()}");
            Assert.DoesNotContain(bodies, b => b.Body.Contains(secret, StringComparison.Ordinal));
        }
        foreach (var digits in phoneDigits)
        {
            var leak = lines.FirstOrDefault(line => line.Contains(digits, StringComparison.Ordinal));
            Assert.True(leak is null, $"{digits} in a log line: {leak}");
        }
        Assert.DoesNotContain(lines, line => line.Contains(tag, StringComparison.Ordinal));
        // Masked: the last four digits only.
        Assert.Contains(lines, line => line.Contains("*5432", StringComparison.Ordinal));
    }
}
