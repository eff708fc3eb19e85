namespace Microsoft.Extensions.Hosting;

/// <summary>Names of telemetry sources that several projects use; ServiceDefaults registers them by their prefix.</summary>
public static class TelemetrySources
{
    /// <summary>The Microsoft.Extensions.AI OpenTelemetry layer's activity source and meter: gen_ai spans and token usage.</summary>
    public const string GenAI = Extensions.ActivitySourcePrefix + "GenAI";
}
