using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LoadGen;

// Sends Open Builder skill requests to one loopback URL and prints throughput and latency. Two modes:
//   closed loop: --concurrency N workers, each sending its next request when the last is answered;
//   open loop:   --rate R requests/s on a fixed schedule, latency counted from the scheduled send time,
//                so a slow server cannot hide its queueing (no coordinated omission).
// Both stop by themselves after --duration seconds or --count requests, whichever comes first.
var options = LoadOptions.Parse(args);
if (options is null)
{
    return 2;
}

var payloads = new PayloadFactory(options.Users);
using var client = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = Math.Max(options.Concurrency, 64),
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    UseProxy = false,
    AutomaticDecompression = DecompressionMethods.None,
})
{
    Timeout = TimeSpan.FromSeconds(10),
};

if (options.WarmupSeconds > 0)
{
    await new LoadRun(client, options, payloads, new Histogram()).RunAsync(TimeSpan.FromSeconds(options.WarmupSeconds), int.MaxValue);
}

var histogram = new Histogram();
var run = new LoadRun(client, options, payloads, histogram);
var elapsed = await run.RunAsync(TimeSpan.FromSeconds(options.DurationSeconds), options.Count);

var ok = histogram.Count;
var rps = ok / elapsed.TotalSeconds;
Console.WriteLine(
    $"{options.Label}: {ok} ok, {run.Errors} errors in {elapsed.TotalSeconds:F1} s = {rps:F0} req/s; " +
    $"p50 {histogram.Percentile(50) / 1000.0:F2} ms, p90 {histogram.Percentile(90) / 1000.0:F2} ms, " +
    $"p99 {histogram.Percentile(99) / 1000.0:F2} ms, max {histogram.Max / 1000.0:F2} ms" +
    (run.Errors > 0 ? $"; first error: {run.FirstError}" : ""));
// One machine-readable line for perf/run-load.sh.
Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
    $"RESULT label={options.Label} ok={ok} errors={run.Errors} seconds={elapsed.TotalSeconds:F2} rps={rps:F1} " +
    $"p50_ms={histogram.Percentile(50) / 1000.0:F3} p90_ms={histogram.Percentile(90) / 1000.0:F3} " +
    $"p99_ms={histogram.Percentile(99) / 1000.0:F3} max_ms={histogram.Max / 1000.0:F3}"));
return run.Errors > 0 && ok == 0 ? 1 : 0;

namespace LoadGen
{
    internal sealed record LoadOptions(
        Uri Url, int Concurrency, double Rate, double DurationSeconds, int Count, double WarmupSeconds, int Users,
        string Expect, string Label)
    {
        public static LoadOptions? Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }
            string Get(string key, string fallback) => values.TryGetValue(key, out var v) ? v : fallback;
            var url = new Uri(Get("url", "http://127.0.0.1:8788/kakao/webhook"));
            // Load is only ever sent to this machine.
            if (!(url.IsLoopback && (url.Host == "localhost" || IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))))
            {
                Console.Error.WriteLine($"--url must be a loopback address (127.0.0.1, [::1] or localhost), not {url.Host}.");
                return null;
            }
            var options = new LoadOptions(
                url,
                int.Parse(Get("concurrency", "16"), System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(Get("rate", "0"), System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(Get("duration", "20"), System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(Get("count", "1000000"), System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(Get("warmup", "0"), System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(Get("users", "2000"), System.Globalization.CultureInfo.InvariantCulture),
                Get("expect", "\"version\":\"2.0\""),
                Get("label", "load"));
            if (options.DurationSeconds is <= 0 or > 600 || options.Count < 1 || options.Concurrency is < 1 or > 1024 || options.Rate is < 0 or > 50_000)
            {
                Console.Error.WriteLine("Bounds: 0 < --duration <= 600, --count >= 1, 1 <= --concurrency <= 1024, 0 <= --rate <= 50000.");
                return null;
            }
            return options;
        }
    }

    /// <summary>
    /// The fixture with user ids and utterance varied per request, so the webhook's 3 s dedupe and per-session
    /// lock see distinct users and messages: request n goes to user n mod Users and says something new.
    /// </summary>
    internal sealed class PayloadFactory
    {
        private readonly string _template;
        private readonly string _runId = Guid.NewGuid().ToString("N")[..8];

        public PayloadFactory(int users)
        {
            Users = Math.Max(users, 1);
            using var stream = typeof(PayloadFactory).Assembly.GetManifestResourceStream("skill-request-basic.json")!;
            var root = JsonNode.Parse(stream)!;
            var user = root["userRequest"]!["user"]!;
            user["id"] = "@USER@";
            var properties = user["properties"]!;
            properties["botUserKey"] = "@USER@";
            properties["bot_user_key"] = "@USER@";
            properties["plusfriendUserKey"] = "@PFUSER@";
            properties["plusfriend_user_key"] = "@PFUSER@";
            root["userRequest"]!["utterance"] = "@UTTERANCE@";
            _template = root.ToJsonString();
        }

        public int Users { get; }

        public byte[] Create(long sequence, int user)
        {
            var userId = $"lg{_runId}u{user:D5}";
            return Encoding.UTF8.GetBytes(_template
                .Replace("@USER@", userId, StringComparison.Ordinal)
                .Replace("@PFUSER@", "pf" + userId, StringComparison.Ordinal)
                .Replace("@UTTERANCE@", $"내일 오전 9시에 회의 있는지 확인해줘 ({sequence})", StringComparison.Ordinal));
        }
    }

    internal sealed class LoadRun(HttpClient client, LoadOptions options, PayloadFactory payloads, Histogram histogram)
    {
        private static readonly System.Net.Http.Headers.MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
        private readonly byte[] _expect = Encoding.UTF8.GetBytes(options.Expect);
        private long _sequence = -1;
        private long _errors;
        private string? _firstError;

        public long Errors => Interlocked.Read(ref _errors);
        public string? FirstError => _firstError;

        public async Task<TimeSpan> RunAsync(TimeSpan duration, int count)
        {
            var started = Stopwatch.GetTimestamp();
            var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            if (options.Rate > 0)
            {
                await OpenLoopAsync(started, end, count);
            }
            else
            {
                await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(w => Task.Run(() => WorkerAsync(w, end, count))));
            }
            return Stopwatch.GetElapsedTime(started);
        }

        // Worker w owns users w, w+N, w+2N, ...: no two requests of one user are ever in flight together.
        private async Task WorkerAsync(int worker, long end, int count)
        {
            var own = Math.Max(payloads.Users / options.Concurrency, 1);
            var k = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                var sequence = Interlocked.Increment(ref _sequence);
                if (sequence >= count)
                {
                    return;
                }
                var user = worker + options.Concurrency * (k++ % own);
                await SendAsync(sequence, user, Stopwatch.GetTimestamp());
            }
        }

        private async Task OpenLoopAsync(long started, long end, int count)
        {
            var interval = Stopwatch.Frequency / options.Rate;
            var inFlight = new List<Task>();
            for (long i = 0; i < count; i++)
            {
                var due = started + (long)(i * interval);
                if (due >= end)
                {
                    break;
                }
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait);
                }
                inFlight.Add(SendAsync(i, (int)(i % payloads.Users), due));
                if (inFlight.Count > 4096)
                {
                    inFlight.RemoveAll(t => t.IsCompleted);
                }
            }
            await Task.WhenAll(inFlight);
        }

        private async Task SendAsync(long sequence, int user, long scheduled)
        {
            try
            {
                using var content = new ByteArrayContent(payloads.Create(sequence, user));
                content.Headers.ContentType = Json;
                using var response = await client.PostAsync(options.Url, content);
                var body = await response.Content.ReadAsByteArrayAsync();
                var latency = Stopwatch.GetElapsedTime(scheduled);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Fail($"HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200)))}");
                }
                else if (body.AsSpan().IndexOf(_expect) < 0)
                {
                    Fail($"200 without '{options.Expect}': {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}");
                }
                else
                {
                    histogram.Record((long)latency.TotalMicroseconds);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                Fail($"{ex.GetType().Name}: {ex.Message}");
            }
        }

        private void Fail(string message)
        {
            Interlocked.Increment(ref _errors);
            Interlocked.CompareExchange(ref _firstError, message, null);
        }
    }

    /// <summary>
    /// Log-linear latency histogram in microseconds: exact below 1,024 µs, then 512 sub-buckets per power of two
    /// (under 0.2 % error). Lock-free recording.
    /// </summary>
    internal sealed class Histogram
    {
        private const int Linear = 1024;
        private const int SubBuckets = 512;
        private readonly long[] _counts = new long[Linear + 40 * SubBuckets];
        private long _count;
        private long _max;

        public long Count => Interlocked.Read(ref _count);
        public long Max => Interlocked.Read(ref _max);

        public void Record(long micros)
        {
            micros = Math.Max(micros, 0);
            Interlocked.Increment(ref _counts[Index(micros)]);
            Interlocked.Increment(ref _count);
            long seen;
            while (micros > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, micros, seen) != seen)
            {
            }
        }

        /// <summary>The smallest recorded value (bucket's upper bound) at or below which p percent of samples lie.</summary>
        public long Percentile(double p)
        {
            var total = Count;
            if (total == 0)
            {
                return 0;
            }
            var rank = (long)Math.Ceiling(total * p / 100.0);
            long seen = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                seen += _counts[i];
                if (seen >= rank)
                {
                    return Math.Min(UpperBound(i), Max);
                }
            }
            return Max;
        }

        private static int Index(long v)
        {
            if (v < Linear)
            {
                return (int)v;
            }
            var exponent = 63 - (int)long.LeadingZeroCount(v) - 9;  // v >> exponent lies in [512, 1024)
            return Linear + (exponent - 1) * SubBuckets + (int)((v >> exponent) - SubBuckets);
        }

        private static long UpperBound(int index)
        {
            if (index < Linear)
            {
                return index;
            }
            var exponent = (index - Linear) / SubBuckets + 1;
            var sub = (index - Linear) % SubBuckets + SubBuckets;
            return ((sub + 1L) << exponent) - 1;
        }
    }
}
