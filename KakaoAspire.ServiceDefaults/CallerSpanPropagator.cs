using System.Diagnostics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The trace context an outgoing call carries when no client span is recorded for it (<c>Telemetry:HttpClientSpans</c>
/// false): HttpClient still starts an activity per call that nothing records, and the callee would name that activity,
/// a span no trace holds, as its parent. This names the caller's span instead (the skill request, the edge's server
/// span), so the dashboard shows the callee under it. Calls with a recorded client span are left as they are.
/// </summary>
public sealed class CallerSpanPropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    /// <summary>The activity HttpClient starts by itself, from no source, when nothing listens to its own.</summary>
    private const string UnrecordedCallName = "System.Net.Http.HttpRequestOut";

    private static readonly Lock Gate = new();

    /// <summary>Wraps the process's propagator once (HttpClient handlers read it when they are created).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (Current is not CallerSpanPropagator)
            {
                Current = new CallerSpanPropagator(Current);
            }
        }
    }

    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
        inner.Inject(
            activity is { Source.Name.Length: 0, OperationName: UnrecordedCallName, Parent: { } caller } ? caller : activity,
            carrier,
            setter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        inner.ExtractBaggage(carrier, getter);
}
