using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KakaoAspire.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.OutboundBench;

public sealed record ModeResult(
    BenchMode Mode, int Recipients, int Requests, double AcceptRate, TimeSpan Elapsed, TimeSpan LastAcceptToLastReceipt,
    double CpuMicrosPerRecipient, double GarnetMicrosPerRecipient, bool Complete, double? DrainRecipientsPerSecond)
{
    public double RecipientsPerSecond => Recipients / Elapsed.TotalSeconds;

    public string Describe() => Summary() + (DrainRecipientsPerSecond is { } drain
        ? string.Create(CultureInfo.InvariantCulture, $"; sender alone on a full queue: {drain:N0} recipients/s")
        : "");

    private string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{Recipients:N0} recipients in {Requests:N0} NHN requests; first 202 → last receipt {Elapsed.TotalSeconds:N2} s = {RecipientsPerSecond:N0} recipients/s; " +
        $"posting {AcceptRate:N0} 202s/s; last 202 → last receipt {LastAcceptToLastReceipt.TotalMilliseconds:N0} ms; " +
        $"CPU {CpuMicrosPerRecipient:N0} µs/recipient (Garnet {GarnetMicrosPerRecipient:N0}){(Complete ? "" : "; INCOMPLETE (timed out)")}");
}

/// <summary>
/// One mode: an empty Redis (a fresh Garnet), a fresh fake NHN, the friendtalk service in-process (WebApplicationFactory, as in its
/// service tests) with the mode's <c>FriendTalk:Sender:MaxBatchRecipients</c>; a warm-up, then the measured load.
/// </summary>
public static class ModeRun
{
    private const string Token = "bench-gateway-token";

    public static async Task<ModeResult> RunAsync(BenchMode mode, BenchOptions options, RedisServer redis, TempDirectory state)
    {
        await using var nhn = await FakeNhnServer.StartAsync();
        var configPath = state.File($"moltbot-{mode.Name}.json");
        await File.WriteAllTextAsync(configPath, Config(nhn, options).ToJsonString());

        // 1. End to end: posting and sending at the same time, as in production.
        ModeResult result;
        await using (var factory = Service(mode, options, redis, state, configPath, sender: true))
        {
            using var client = Client(factory);
            var warmedUp = await WarmUpAsync(client, nhn, options);
            var acceptedBefore = nhn.AcceptedTotal;
            var requestsBefore = nhn.Sends.Count;
            var cpuBefore = CpuTime();

            var posting = PostAllAsync(client, "010", options.Count, options.Concurrency);
            var complete = await WaitForAcceptedAsync(nhn, acceptedBefore + options.Count, options.Timeout);
            var (firstAccept, lastAccept) = await posting;
            var cpuAfter = CpuTime();

            var accepted = nhn.Accepted.Skip(acceptedBefore).ToList();
            Console.WriteLine($"   warm-up: {warmedUp.Messages:N0} messages in {warmedUp.Elapsed.TotalSeconds:N1} s before the measurement");
            var lastReceipt = accepted.Max(a => ReceivedAt(a.RequestId));
            var distinct = accepted.Select(a => a.RecipientGroupingKey).Distinct().Count();
            if (distinct != accepted.Count || (complete && distinct != options.Count))
            {
                Console.WriteLine($"   WARNING: {accepted.Count} recipients accepted by the fake, {distinct} distinct messages, {options.Count} posted");
            }
            result = new ModeResult(
                mode,
                accepted.Count,
                nhn.Sends.Count - requestsBefore,
                options.Count / Math.Max(0.001, (lastAccept - firstAccept).TotalSeconds),
                lastReceipt - firstAccept,
                lastReceipt - lastAccept,
                (cpuAfter.Total - cpuBefore.Total).TotalMicroseconds / Math.Max(1, accepted.Count),
                (cpuAfter.Children - cpuBefore.Children).TotalMicroseconds / Math.Max(1, accepted.Count),
                complete,
                null);
        }
        if (!options.Drain || !result.Complete)
        {
            return result;
        }

        // 2. The sender alone: the same count queued with the sender off, then a sender started on the full queue. On a
        // Garnet of its own: after a 10 s warm-up and the measured run, the queue no longer fit the 64 MB in-memory log and
        // the sender read it from disk (2,206 recipients/s against 12,000-16,000 from memory, docs/benchmarks.md, "Session 16").
        await using var drainRedis = await RedisServer.StartAsync();
        var before = nhn.AcceptedTotal;
        await using (var api = Service(mode, options, drainRedis, state, configPath, sender: false))
        {
            using var client = Client(api);
            await PostAllAsync(client, "016", options.Count, options.Concurrency);
        }
        await using var sender = Service(mode, options, drainRedis, state, configPath, sender: true);
        _ = sender.Server;
        var drained = await WaitForAcceptedAsync(nhn, before + options.Count, options.Timeout);
        var receipts = nhn.Accepted.Skip(before).GroupBy(a => a.RequestId).Select(g => (At: ReceivedAt(g.Key), Count: g.Count())).OrderBy(r => r.At).ToList();
        // Steady state: from the first request's receipt to the last, so the host's start does not count.
        var span = receipts[^1].At - receipts[0].At;
        var rate = drained && span > TimeSpan.Zero ? (receipts.Sum(r => r.Count) - receipts[0].Count) / span.TotalSeconds : 0;
        return result with { DrainRecipientsPerSecond = rate };
    }

    private static WebApplicationFactory<Program> Service(
        BenchMode mode, BenchOptions options, RedisServer redis, TempDirectory state, string configPath, bool sender) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:redis", redis.ConnectionString);
            builder.UseSetting("MOLTBOT_CONFIG_PATH", configPath);
            builder.UseSetting("MOLTBOT_STATE_DIR", state.Path);
            builder.UseSetting("FriendTalk:Sender:Enabled", sender ? "true" : "false");
            builder.UseSetting("FriendTalk:Sender:MaxBatchRecipients", mode.MaxBatchRecipients.ToString(CultureInfo.InvariantCulture));
            // Delivery polling starts 30 s after a send by default; out of the measured path, so kept out of the run.
            builder.UseSetting("FriendTalk:Sender:PollDelay", "01:00:00");
            // The service refuses a poll backoff shorter than the first poll (options validated at start).
            builder.UseSetting("FriendTalk:Sender:PollBackoffMax", "01:00:00");
            if (!options.ServiceLogs)
            {
                builder.ConfigureLogging(logging => logging.ClearProviders());
            }
        });

    private static HttpClient Client(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>
    /// Sends at least <see cref="BenchOptions.Warmup"/> messages for at least <see cref="BenchOptions.WarmupTime"/> (but no
    /// more than <see cref="BenchOptions.WarmupMax"/>), in rounds of 1,000 posted and then received by the fake, so the
    /// sender's path warms as much as the API's and one-per-request sending does not queue minutes of warm-up. With 500
    /// messages (a sixth of a second) the measurement ran while the JIT was still replacing the service's, the client's and
    /// Garnet's first code with tier-1 code: 2,284-3,029 recipients/s, against 4,764-5,819 after 10 s
    /// (docs/benchmarks.md, "Session 16").
    /// </summary>
    private static async Task<(int Messages, TimeSpan Elapsed)> WarmUpAsync(HttpClient client, FakeNhnServer nhn, BenchOptions options)
    {
        var elapsed = Stopwatch.StartNew();
        var before = nhn.AcceptedTotal;
        var posted = 0;
        while ((posted < options.Warmup || elapsed.Elapsed < options.WarmupTime) && posted < options.WarmupMax)
        {
            var round = Math.Min(options.WarmupMax - posted, elapsed.Elapsed < options.WarmupTime ? 1_000 : Math.Min(1_000, options.Warmup - posted));
            await PostAllAsync(client, "011", round, options.Concurrency, start: posted);
            posted += round;
            await WaitForAcceptedAsync(nhn, before + posted, options.Timeout);
        }
        return (posted, elapsed.Elapsed);
    }

    /// <summary>Posts <paramref name="count"/> messages, distinct numbers and keys; returns when the first and last 202 came.</summary>
    private static async Task<(DateTimeOffset First, DateTimeOffset Last)> PostAllAsync(HttpClient client, string prefix, int count, int concurrency, int start = 0)
    {
        var next = -1;
        long first = long.MaxValue, last = 0;
        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                i += start;
                var body = new
                {
                    channel = "kakao",
                    to = $"{prefix}{i:D8}",
                    message = $"[몰트봇] 벤치마크 메시지 {i}: 회의가 10분 뒤에 시작돼요.",
                    idempotencyKey = Guid.NewGuid().ToString(),
                };
                using var response = await client.PostAsJsonAsync("/api/v1/messages", body);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"POST /api/v1/messages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
                var now = DateTimeOffset.UtcNow.UtcTicks;
                InterlockedMin(ref first, now);
                InterlockedMax(ref last, now);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync)));
        return (new DateTimeOffset(first, TimeSpan.Zero), new DateTimeOffset(last, TimeSpan.Zero));
    }

    private static async Task<bool> WaitForAcceptedAsync(FakeNhnServer nhn, int total, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        // The count, not the list: copying every accepted recipient 50 times a second (large-object arrays) took the
        // service's cores and collections in this same process (docs/benchmarks.md, "Session 12").
        while (nhn.AcceptedTotal < total)
        {
            if (deadline.Elapsed > timeout)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }

    /// <summary>The fake stamps each request id with its receipt time (UTC, <c>yyyyMMddHHmmssfff</c>): exact to the ms, unlike polling.</summary>
    private static DateTimeOffset ReceivedAt(string requestId) =>
        new(DateTime.ParseExact(requestId[..17], "yyyyMMddHHmmssfff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    /// <summary>CPU of this process (service, fake NHN, load) plus its children (Garnet), from /proc.</summary>
    private static (TimeSpan Total, TimeSpan Children) CpuTime()
    {
        var children = TimeSpan.Zero;
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // After the name: state, ppid, …; utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 Hz).
                if (fields[1] == self)
                {
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    children += TimeSpan.FromMilliseconds(ticks * 10);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // A process that ended meanwhile, or not ours to read.
            }
        }
        return (Process.GetCurrentProcess().TotalProcessorTime + children, children);
    }

    private static JsonObject Config(FakeNhnServer nhn, BenchOptions options) => new()
    {
        ["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = Token } },
        ["channels"] = new JsonObject
        {
            ["kakao"] = new JsonObject
            {
                ["accounts"] = new JsonObject
                {
                    ["default"] = new JsonObject
                    {
                        ["webhookPath"] = "/kakao/webhook",
                        ["senderKey"] = FakeNhnServer.SenderKey,
                        ["toastAppKey"] = FakeNhnServer.AppKey,
                        ["toastSecretKey"] = FakeNhnServer.SecretKey,
                        ["outbound"] = new JsonObject
                        {
                            ["phoneProvider"] = "friendtalk-compat",
                            ["nhnBaseUrl"] = nhn.BaseUrl,
                            ["nightWindow"] = null,
                            // Every message of the run, warm-up included, counts against the daily cap: a timed warm-up
                            // posts as many as the machine takes in that time.
                            ["dailyCap"] = 100_000_000,
                        },
                    },
                },
            },
        },
    };

    private static void InterlockedMin(ref long target, long value)
    {
        long seen;
        while (value < (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
