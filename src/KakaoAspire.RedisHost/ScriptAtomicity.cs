/// <summary>
/// Lua scripts run as one step, as they do on Redis. Garnet runs a script's commands one by one unless told to lock its
/// keys first (--lua-transaction-mode): 8 clients running a read-then-write script 5,000 times each kept 28,433 of the
/// 40,000 updates without it, all of them with it (docs/benchmarks.md, "Session 14"). Every store's script (the session
/// lock's compare-and-release, the rate limit, the outbound claims) counts on that step being whole.
/// </summary>
internal static class ScriptAtomicity
{
    public const string TransactionModeFlag = "--lua-transaction-mode";

    /// <summary>
    /// The arguments Garnet gets: the caller's, plus the transaction mode unless the caller set it (a measurement can turn
    /// it off with <c>--lua-transaction-mode false</c>). Garnet ignores it when scripts are off.
    /// </summary>
    public static string[] Apply(string[] args) =>
        args.Any(a => a == TransactionModeFlag || a.StartsWith(TransactionModeFlag + "=", StringComparison.Ordinal))
            ? args
            : [.. args, TransactionModeFlag];
}
