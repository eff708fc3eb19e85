using System.Globalization;

namespace KakaoAspire.OutboundBench;

/// <summary>One way of sending: the sender's cap on recipients per NHN request.</summary>
public sealed record BenchMode(string Name, int MaxBatchRecipients);

public sealed record BenchOptions(int Count, int Concurrency, int Warmup, TimeSpan WarmupTime, int WarmupMax, IReadOnlyList<BenchMode> Modes, TimeSpan Timeout, bool ServiceLogs, bool Drain)
{
    public const double GoalRecipientsPerSecond = 5_000;

    public const string Usage = """
        usage: dotnet run -c Release --project perf/OutboundBench -- [options]
          --count N          messages per mode (default 20000), each a distinct phone number and idempotency key
          --concurrency N    concurrent API callers (default 32)
          --warmup N         at least this many messages sent and waited for before measuring, per mode (default 500)
          --warmup-seconds S and sending for at least this long (default 10, as perf/run-load.sh warms the skill path;
                             0 = the count alone): the JIT's tier-1 code for the service, the client and Garnet is only
                             done after several seconds of full load here (docs/benchmarks.md, "Session 16")
          --warmup-max N     but never more than this many (default 40000: with 60,000 the measured messages no longer
                             fit Garnet's 64 MB in-memory log beside the warm-up's)
          --modes LIST       batched,single (default both; batched = 1000 recipients per request, single = 1)
          --timeout SECONDS  give up on a mode after this long (default 300)
          --no-drain         skip the second measurement (the sender alone, on a queue filled with the sender off)
          --service-logs     keep the service's console logs (default: none, see docs/benchmarks.md)
        """;

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions(20_000, 32, 500, TimeSpan.FromSeconds(10), 40_000, [new("batched", 1000), new("single", 1)], TimeSpan.FromSeconds(300), false, true);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : "";
            int Positive() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1;
            switch (args[i])
            {
                case "--count":
                    options = options with { Count = Positive() };
                    break;
                case "--concurrency":
                    options = options with { Concurrency = Positive() };
                    break;
                case "--warmup":
                    options = options with { Warmup = Math.Max(0, Positive()) };
                    break;
                case "--warmup-seconds":
                    var seconds = int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var warmupSeconds) ? warmupSeconds : -1;
                    options = options with { WarmupTime = TimeSpan.FromSeconds(seconds) };
                    break;
                case "--warmup-max":
                    options = options with { WarmupMax = Positive() };
                    break;
                case "--timeout":
                    options = options with { Timeout = TimeSpan.FromSeconds(Positive()) };
                    break;
                case "--no-drain":
                    options = options with { Drain = false };
                    break;
                case "--service-logs":
                    options = options with { ServiceLogs = true };
                    break;
                case "--modes":
                    var modes = new List<BenchMode>();
                    foreach (var name in Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        switch (name)
                        {
                            case "batched":
                                modes.Add(new("batched", 1000));
                                break;
                            case "single":
                                modes.Add(new("single", 1));
                                break;
                            default:
                                return null;
                        }
                    }
                    options = options with { Modes = modes };
                    break;
                default:
                    return null;
            }
        }
        return options is { Count: > 0, Concurrency: > 0, Modes.Count: > 0 } && options.Timeout > TimeSpan.Zero && options.WarmupTime >= TimeSpan.Zero && options.WarmupMax >= options.Warmup
            ? options
            : null;
    }
}
