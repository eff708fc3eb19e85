/// <summary>
/// The memory sizes (and the reuse of deleted records) Garnet runs with unless the command line gives its own: sized for
/// a small store (sessions, pairings, held answers, queued messages), with pages small enough that the log can spill to
/// disk a few MB at a time instead of stalling on one large page. Under the load test the process peaked at 157-172 MB
/// with its log full (docs/benchmarks.md, "Session 7"), and below 150 MB once deleted records were reused ("Session 10").
/// </summary>
internal static class StoreSizing
{
    /// <summary>
    /// In-memory log (the mutable, recent records, and the objects they hold: lists, hashes); older records spill to the
    /// disk tier. 64m holds a burst of 20,000 queued Friend Talk messages: at 32m the sender drained that queue from disk
    /// at 547 recipients/s, at 64m from memory at 13,552 (`perf/outbound-bench.sh --count 20000 --modes batched`,
    /// docs/benchmarks.md, "Session 10"). Skill turns hardly grow the log since deleted records are reused (--reviv).
    /// </summary>
    public const string LogMemory = "64m";

    /// <summary>
    /// Log page: 32 pages in <see cref="LogMemory"/>. With Garnet's default 16 MB pages, 64m was four pages, and a burst
    /// of queued sends stalled for seconds while pages were flushed (docs/benchmarks.md, "Outbound"). Values up to half
    /// a page (1 MB) sit in the log; larger ones live beside it, so no message is too large for it.
    /// </summary>
    public const string LogPage = "2m";

    /// <summary>
    /// Hash index at start: 32,768 buckets of 7 keys, about 230,000 keys before overflow buckets, allocated whole (a
    /// 16m index and its first overflow chunk took 24 MB of a 200 MB process under load, for 5,000 keys). Garnet doubles
    /// it, up to <see cref="IndexMaxSize"/>, when overflow buckets pass half of it (checked every minute).
    /// </summary>
    public const string Index = "2m";

    /// <summary>The most the hash index grows to: 2 million buckets, some 14 million keys.</summary>
    public const string IndexMaxSize = "128m";

    /// <summary>Append-only file pages for a new data folder (Garnet requires at least twice <see cref="LogPage"/>).</summary>
    public const string AofPage = "4m";

    /// <summary>
    /// An append-only file written before this folder had a recorded page size: Garnet's default page (32 MB). Its
    /// buffer must hold two of them (64m, the least Garnet accepts for that page).
    /// </summary>
    public const string LegacyAofMemory = "64m";

    /// <summary>Written next to the append-only file: the page size its records were laid out with.</summary>
    public const string AofPageFileName = "kakaoaspire-aof-page-size";

    /// <summary>
    /// The arguments Garnet gets: the caller's, plus every size the caller did not give. The append-only file's page size
    /// is part of its format (replaying a file with another page size reads records across page boundaries as garbage,
    /// and Garnet recovers what precedes the first one: the rest of the data is lost), so it is recorded in the data
    /// folder when the file is new and read back on every later start; a file from before the record keeps Garnet's default.
    /// </summary>
    public static string[] Apply(string[] args)
    {
        var result = new List<string>(args);
        AddUnlessGiven(result, "--memory", LogMemory);
        AddUnlessGiven(result, "--page", LogPage);
        AddUnlessGiven(result, "--index", Index);
        AddUnlessGiven(result, "--index-max-size", IndexMaxSize);
        // A deleted record's space is reused for the next record of its size (revivification) instead of every new key
        // going to the log's tail. Most keys a skill turn writes are gone within seconds (its claim, the session lock,
        // the answer once delivered): under the load test the log's tail grew 2.9 MB instead of 15.3 MB in the same
        // time, and Garnet's peak fell from 146-150 to 132 MB (docs/benchmarks.md, "Session 10").
        AddFlagUnlessGiven(result, "--reviv");
        // The log's pages (and, per Garnet, the index and recovery frames) in memory mapped for them, not in the GC's
        // pinned heap: a page the log lets go of goes back to the system instead of staying as a hole in the pinned heap
        // (38 MB of 120 under load). A heap dump under load still showed the hash index as managed arrays.
        AddFlagUnlessGiven(result, "--use-native-allocator");
        if (Given(args, "--aof-page-size"))
        {
            AddUnlessGiven(result, "--aof-memory", LegacyAofMemory);
            return [.. result];
        }
        var aofFolder = AofFolder(args);
        var page = aofFolder is null ? AofPage : RecordedAofPage(aofFolder);
        if (page is null)
        {
            // Written with Garnet's default page: leave the page to Garnet, and give the buffer the two pages it needs.
            AddUnlessGiven(result, "--aof-memory", LegacyAofMemory);
            return [.. result];
        }
        result.Add("--aof-page-size");
        result.Add(page);
        AddUnlessGiven(result, "--aof-memory", AofMemoryFor(page));
        return [.. result];
    }

    /// <summary>
    /// The append-only file's buffer for a page size: two pages, the least Garnet accepts (8m for <see cref="AofPage"/>,
    /// 16m for the 8m pages recorded in folders an earlier version started).
    /// </summary>
    public static string AofMemoryFor(string page)
    {
        var unit = char.ToLowerInvariant(page[^1]);
        return char.IsDigit(unit) ? $"{2 * long.Parse(page)}" : $"{2 * long.Parse(page[..^1])}{unit}";
    }

    /// <summary>
    /// The page size recorded in <paramref name="folder"/>; for a folder with no append-only file yet, records
    /// <see cref="AofPage"/> first; null for a file written before any record (Garnet's default page).
    /// </summary>
    private static string? RecordedAofPage(string folder)
    {
        var record = Path.Combine(folder, AofPageFileName);
        if (File.Exists(record))
        {
            return File.ReadAllText(record).Trim();
        }
        if (Directory.Exists(folder) && Directory.EnumerateFiles(folder, "aof.log.*").Any())
        {
            return null;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(record, AofPage + "\n");
        return AofPage;
    }

    /// <summary>Where Garnet keeps the append-only file: AOF under the checkpoint folder (else the log folder); null without --aof.</summary>
    private static string? AofFolder(string[] args)
    {
        if (!Given(args, "--aof"))
        {
            return null;
        }
        var baseFolder = ValueOf(args, "--checkpointdir") ?? ValueOf(args, "--logdir");
        return baseFolder is null ? null : Path.Combine(baseFolder, "AOF");
    }

    private static bool Given(string[] args, string option) =>
        args.Any(a => a == option || a.StartsWith(option + "=", StringComparison.Ordinal));

    /// <summary>An option's value, given as <c>--option value</c> or <c>--option=value</c>; null when not given.</summary>
    internal static string? ValueOf(string[] args, string option)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == option && i + 1 < args.Length)
            {
                return args[i + 1];
            }
            if (args[i].StartsWith(option + "=", StringComparison.Ordinal))
            {
                return args[i][(option.Length + 1)..];
            }
        }
        return null;
    }

    private static void AddFlagUnlessGiven(List<string> args, string flag)
    {
        if (!Given([.. args], flag))
        {
            args.Add(flag);
        }
    }

    private static void AddUnlessGiven(List<string> args, string option, string value)
    {
        if (!Given([.. args], option))
        {
            args.Add(option);
            args.Add(value);
        }
    }
}
