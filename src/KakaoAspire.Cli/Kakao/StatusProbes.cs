using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli.Kakao;

/// <summary>
/// Read-only checks for <c>kakao status --probe</c>. None of them sends a message or costs anything:
/// the webhook path gets a GET (405 means the edge routed it to the webhook), NHN gets a message-list query,
/// Kakao's Event API gets a task lookup for an id that does not exist (401 means the key is wrong), and the OpenClaw
/// (Moltbot) gateway that runs agents gets the connect handshake only (<see cref="GatewayHandshakeProbe"/>).
/// They run at once (each bounded by its own timeout), and the results keep the order in which they are listed.
/// </summary>
public static class StatusProbes
{
    public sealed record Result(string Name, bool Ok, string Detail);

    public static async Task<IReadOnlyList<Result>> RunAsync(
        CliContext context, JsonNode? status, ICliProgress progress, CancellationToken cancellationToken)
    {
        var results = new List<Task<Result>>();
        var pending = new List<string>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        Task<Result> Start(string name, Func<Task<Result>> probe)
        {
            lock (pending)
            {
                pending.Add(name);
            }
            return ProbeAsync(name, probe).ContinueWith(done =>
            {
                var result = done.Result;
                lock (pending)
                {
                    pending.Remove(name);
                    progress.Line($"probe {result.Name}: {(result.Ok ? "ok" : "FAILED")}");
                    progress.Status(pending.Count == 0 ? "Probes done" : $"Probing: {string.Join(", ", pending)}");
                }
                return result;
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        // The status API reads its in/out figures from Redis and says when it could not.
        var stateError = status?["stateError"]?.ToString();
        results.Add(Start("redis", () => Task.FromResult(status is null
            ? new Result("", false, "unknown: the gateway is not running")
            : new Result("", stateError is null, stateError ?? "the gateway read its state from Redis"))));

        foreach (var account in context.Config.Kakao.EnabledAccounts)
        {
            results.Add(Start($"{account.Id} webhook path", async () =>
            {
                var url = new Uri($"http://127.0.0.1:{account.WebhookPort}{account.WebhookPath}");
                using var response = await http.GetAsync(url, cancellationToken);
                return response.StatusCode == HttpStatusCode.MethodNotAllowed
                    ? new Result("", true, $"GET {account.WebhookPath} reached the webhook (405: it takes POST only)")
                    : new Result("", false, $"GET {account.WebhookPath} answered {(int)response.StatusCode}; the edge does not route this path");
            }));

            if (account.IsNhnOutboundConfigured)
            {
                results.Add(Start($"{account.Id} NHN credentials", async () =>
                {
                    var now = Kst.Now(TimeProvider.System);
                    string Format(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
                    var url = $"{account.Outbound.NhnBaseUrl.TrimEnd('/')}/friendtalk/v2.4/appkeys/{Uri.EscapeDataString(account.ToastAppKey!)}/messages" +
                              $"?startRequestDate={Format(now.AddHours(-1))}&endRequestDate={Format(now)}&pageSize=1";
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.Add("X-Secret-Key", account.ToastSecretKey);
                    using var response = await http.SendAsync(request, cancellationToken);
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                    var ok = body?["header"]?["isSuccessful"]?.GetValue<bool>() == true;
                    return new Result("", ok, ok
                        ? "message-list query accepted the app key and secret key"
                        : $"NHN refused: {body?["header"]?["resultCode"]} {body?["header"]?["resultMessage"]}");
                }));
            }

            if (account.HasAdminKey)
            {
                results.Add(Start($"{account.Id} Kakao key", async () =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"{account.Outbound.EventApiBaseUrl.TrimEnd('/')}/v1/tasks/moltbot-probe");
                    request.Headers.Authorization = new AuthenticationHeaderValue("KakaoAK", account.AdminKey);
                    using var response = await http.SendAsync(request, cancellationToken);
                    return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                        ? new Result("", false, $"Kakao refused the REST API key ({(int)response.StatusCode})")
                        : new Result("", true, $"Kakao accepted the REST API key (task lookup answered {(int)response.StatusCode})");
                }));
            }
        }

        if (context.Config.UsesGateway)
        {
            results.Add(Start("moltbot gateway", () => GatewayHandshakeProbe.RunAsync(context.Config, context.KakaoStateDirectory, cancellationToken)));
        }
        return await Task.WhenAll(results);
    }

    private static async Task<Result> ProbeAsync(string name, Func<Task<Result>> probe)
    {
        try
        {
            return (await probe()) with { Name = name };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return new Result(name, false, $"no answer ({ex.GetType().Name}: {ex.Message})");
        }
    }
}
