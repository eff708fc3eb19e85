using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The server start (`moltbot gateway run`: Production): no development route for anyone, and the public port's
/// limits — the /api limit per real client, Kestrel's header and connection limits, Problem Details for the edge's refusals.
/// </summary>
[Collection(ProductionAppCollection.Name)]
public sealed class ProductionSurfaceTests(ProductionAppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_service_of_a_Production_start_runs_as_Production()
    {
        foreach (var name in new[] { "webhook", "agent-router", "friendtalk", "edge" })
        {
            var resource = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().Single(r => r.Name == name);
            // The simple reader of a resource's evaluated environment; its replacement's builder is more than a test needs.
#pragma warning disable CS0618
            var environment = await resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
            output.WriteLine($"{name}: ASPNETCORE_ENVIRONMENT={environment.GetValueOrDefault("ASPNETCORE_ENVIRONMENT")}");
            Assert.Equal("Production", environment.GetValueOrDefault("ASPNETCORE_ENVIRONMENT"));
        }
    }

    [Theory]
    [InlineData("GET", "/simulator/")]
    [InlineData("GET", "/simulator/app.js")]
    [InlineData("GET", "/simulator/api/accounts")]
    [InlineData("GET", "/simulator/api/outbox")]
    [InlineData("POST", "/simulator/api/send")]
    [InlineData("POST", "/simulator/callback/abc")]
    public async Task In_a_Production_start_the_simulator_does_not_exist_even_for_a_caller_on_this_machine(string method, string path)
    {
        using var client = fixture.EdgeClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent("""{"userId":"x","text":"hi"}""", Encoding.UTF8, "application/json") : null,
        };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_refused_with_413_as_problem_details()
    {
        using var client = fixture.EdgeClient();
        // Expect: 100-continue, as large uploads do: the edge refuses on the length before the body is sent, so the client
        // reads the 413 instead of a broken pipe from a refusal that raced its upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/kakao/webhook") { Content = new ByteArrayContent(new byte[1024 * 1024 + 1]) };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":413", body);
    }

    [Fact]
    public async Task A_chunked_body_that_passes_1_MiB_on_the_way_is_refused_with_413_as_problem_details()
    {
        // No length to refuse on: the edge has started forwarding when the body passes the cap. Chunks just past 1 MiB and
        // then nothing more, so the edge has read all that was sent and its answer is not lost to a reset. With the
        // account's secret, so the webhook reads the body rather than refusing the caller first.
        var secret = WebhookSecretHandler.Generated(fixture.StateDirectory, "default");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, fixture.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            "POST /kakao/webhook HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n" +
            $"{WebhookSecretHandler.Header}: {secret}\r\n\r\n"));
        var chunk = Encoding.ASCII.GetBytes($"{64 * 1024:x}\r\n{new string('a', 64 * 1024)}\r\n");
        for (var sent = 0; sent <= 1024 * 1024; sent += 64 * 1024)
        {
            await socket.SendAsync(chunk);
        }

        // The whole answer: the problem body has a length, or the edge closes the connection after it.
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(AppFixture.RequestTimeout);
        while (!answer.ToString().TrimEnd().EndsWith('}') && await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) is var read and > 0)
        {
            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        output.WriteLine(answer.ToString());

        Assert.StartsWith("HTTP/1.1 413 ", answer.ToString());
        Assert.Contains("Content-Type: application/problem+json", answer.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"status\":413", answer.ToString());
        Assert.Contains("1 MiB", answer.ToString());
    }

    [Fact]
    public async Task Clients_a_trusted_proxy_forwards_are_limited_each_and_the_local_CLI_keeps_its_own_allowance()
    {
        // 127.0.0.1 is the configured trusted proxy: its X-Forwarded-For names the client.
        using var proxy = fixture.EdgeClient();
        var first = await StatusesAsync(proxy, ProductionAppFixture.ApiRateLimitPerMinute + 1, forwardedFor: _ => "203.0.113.10");
        var second = await StatusesAsync(proxy, 1, forwardedFor: _ => "203.0.113.11");
        // 127.0.0.2 is a proxy nobody listed: its header is ignored, so rotating it gains nothing...
        using var untrusted = EdgeClients.From(IPAddress.Parse("127.0.0.2"), IPAddress.Loopback, fixture.Port);
        var spoofed = await StatusesAsync(untrusted, ProductionAppFixture.ApiRateLimitPerMinute + 1, forwardedFor: i => $"198.51.100.{i + 1}");
        // ...and the operator's CLI on the same address, which forwards for nobody, is still served.
        var cli = await StatusesAsync(untrusted, 1, forwardedFor: null);
        output.WriteLine($"client A via trusted proxy: {string.Join(",", first.Select(s => (int)s))}; client B: {(int)second[0]}; " +
            $"untrusted proxy rotating X-Forwarded-For: {string.Join(",", spoofed.Select(s => (int)s))}; local CLI: {(int)cli[0]}");

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, first.SkipLast(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, first[^1]);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, second[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed[^1]);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, cli[0]);
    }

    [Fact]
    public async Task The_429_is_problem_details_with_retry_after()
    {
        using var proxy = fixture.EdgeClient();
        HttpResponseMessage? limited = null;
        for (var i = 0; i <= ProductionAppFixture.ApiRateLimitPerMinute && limited is null; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/messages/nope");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.99");
            var response = await proxy.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using var _ = limited;
        var body = await limited.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Contains("apiRateLimitPerMinute", body);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Request_headers_over_16_KiB_are_refused_with_431()
    {
        using var client = fixture.EdgeClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('a', 20 * 1024));
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_request_head_that_never_finishes_is_cut_off_within_seconds()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, fixture.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /api/v1/status HTTP/1.1\r\nHost: edge\r\nX-Slow: "));
        var stopwatch = Stopwatch.StartNew();

        // Kestrel's default gives a slow sender 30 s per connection; ours is 5 s. 20 s is generous for a loaded machine.
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }
        output.WriteLine($"closed after {stopwatch.Elapsed.TotalSeconds:F1} s");

        Assert.False(cts.IsCancellationRequested, "the half-sent request head kept its connection for 20 s");
    }

    [Fact]
    public async Task Past_the_connection_cap_a_new_connection_is_refused_until_others_close()
    {
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < ProductionAppFixture.MaxConnections + 5; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, fixture.Port);
                idle.Add(socket);
            }
            using var overCap = fixture.EdgeClient();
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => overCap.GetAsync("/api/v1/messages/nope"));
            output.WriteLine($"over the cap: {refused.GetType().Name}: {refused.Message}");
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }

        // Once the idle connections are gone, the port serves again.
        var served = false;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!served && DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = fixture.EdgeClient();
                using var response = await client.GetAsync("/health");
                served = response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(500);
            }
        }
        Assert.True(served, "the edge did not serve again after the idle connections closed");
    }

    private static async Task<List<HttpStatusCode>> StatusesAsync(HttpClient client, int count, Func<int, string>? forwardedFor)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/messages/nope");
            if (forwardedFor is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor(i));
            }
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }
}
