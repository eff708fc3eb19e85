using System.Globalization;
using KakaoAspire.TestSupport;

namespace KakaoAspire.OutboundBench;

/// <summary>
/// Outbound benchmark (issue 5, Performance): from the API's first 202 to the fake NHN's receipt of the last
/// recipient, with batching (up to 1000 recipients per NHN request) and with one request per message, in one run.
/// Not top-level statements: their <c>Program</c> would hide the friendtalk service's, which the factory hosts.
/// </summary>
public static class OutboundBenchMain
{
    public static async Task<int> Main(string[] args)
    {
        // WebApplicationFactory finds the service's content root through MvcTestingAppManifest.json in the current folder.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var options = BenchOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        Console.WriteLine($"outbound bench: {options.Count:N0} messages per mode, concurrency {options.Concurrency}, warm-up at least {options.Warmup} messages and {options.WarmupTime.TotalSeconds:N0} s (at most {options.WarmupMax:N0} messages), " +
            $"modes {string.Join(", ", options.Modes.Select(m => m.Name))}; {Environment.ProcessorCount} cores, .NET {Environment.Version}");

        using var state = new TempDirectory();
        var results = new List<ModeResult>();
        foreach (var mode in options.Modes)
        {
            Console.WriteLine($"-- {mode.Name}: FriendTalk:Sender:MaxBatchRecipients = {mode.MaxBatchRecipients}");
            // A fresh Garnet per mode, not FLUSHALL: after a FLUSHALL Garnet (2.2.8 to 2.2.12) never flushes its log to
            // disk again, so the next mode's messages outgrew the in-memory log and writes hung (docs/benchmarks.md,
            // "Session 10"): the "stall at 20,000 single sends" of earlier runs.
            await using var redis = await RedisServer.StartAsync();
            var result = await ModeRun.RunAsync(mode, options, redis, state);
            Console.WriteLine($"   {result.Describe()}");
            results.Add(result);
        }

        Console.WriteLine();
        Console.WriteLine("| mode | recipients | NHN requests | recipients/request | 202s/s (posting) | first 202 → last receipt | recipients/s | CPU µs/recipient (bench process + Garnet) | sender alone, full queue: recipients/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Mode.Name} | {r.Recipients:N0} | {r.Requests:N0} | {r.Recipients / (double)Math.Max(1, r.Requests):N1} | {r.AcceptRate:N0} | {r.Elapsed.TotalSeconds:N2} s | **{r.RecipientsPerSecond:N0}** | {r.CpuMicrosPerRecipient:N0} (Garnet {r.GarnetMicrosPerRecipient:N0}) | {(r.DrainRecipientsPerSecond is { } d ? d.ToString("N0", CultureInfo.InvariantCulture) : "–")} |"));
        }
        var batched = results.FirstOrDefault(r => r.Mode.MaxBatchRecipients > 1);
        var single = results.FirstOrDefault(r => r.Mode.MaxBatchRecipients == 1);
        if (batched is not null && single is not null)
        {
            Console.WriteLine();
            var alone = batched.DrainRecipientsPerSecond is { } bd && single.DrainRecipientsPerSecond is { } sd && sd > 0
                ? string.Create(CultureInfo.InvariantCulture, $", {bd / sd:N1}× for the sender alone")
                : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio batched / one-per-message: {batched.RecipientsPerSecond / single.RecipientsPerSecond:N1}× end to end{alone}"));
        }
        if (batched is not null)
        {
            var goal = BenchOptions.GoalRecipientsPerSecond;
            Console.WriteLine(batched.RecipientsPerSecond >= goal
                ? string.Create(CultureInfo.InvariantCulture, $"goal ≥ {goal:N0} recipients/s: met ({batched.RecipientsPerSecond:N0})")
                : string.Create(CultureInfo.InvariantCulture, $"goal ≥ {goal:N0} recipients/s: NOT met ({batched.RecipientsPerSecond:N0}, {goal / batched.RecipientsPerSecond:N2}× short)"));
        }
        return results.All(r => r.Complete) ? 0 : 1;
    }
}
