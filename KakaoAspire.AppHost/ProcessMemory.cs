namespace KakaoAspire.AppHost;

/// <summary>How our .NET processes (the four services and the Redis host) use memory, locally and deployed.</summary>
internal static class ProcessMemory
{
    /// <summary>The GC's generation-0 budget: read from the environment only (no runtimeconfig name exists for it).</summary>
    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>
    /// 4 MB. By default the GC sizes gen 0 from the CPU's cache (about 16 MB measured with this machine's 32 MB L3) and
    /// keeps that much committed in every process; at 4 MB each service and Garnet held 10-15 MB less at peak under load,
    /// for about 8 µs more GC pause per skill request summed over the processes (docs/benchmarks.md, "Session 7").
    /// </summary>
    public const string Gen0Budget = "0x400000";

    public static IResourceBuilder<T> WithSmallGen0Budget<T>(this IResourceBuilder<T> resource) where T : IResourceWithEnvironment =>
        resource.WithEnvironment(Gen0BudgetVariable, Gen0Budget);
}
