using System.Text.Json.Nodes;

namespace KakaoAspire.Webhook.Simulator;

/// <summary>
/// Callback bodies the simulator's loopback receiver got, until the page fetches them. Bounded: past
/// <see cref="Capacity"/> the oldest is dropped, so nothing can fill memory by posting callbacks.
/// </summary>
public sealed class SimulatorCallbacks
{
    /// <summary>Far more than one person testing in a browser has waiting at once.</summary>
    public const int Capacity = 100;

    /// <summary>A callback body is a SkillResponse of a few KB; more is not Kakao's shape.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly Dictionary<string, JsonNode> _bodies = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _bodies.Count;
            }
        }
    }

    public void Add(string callbackId, JsonNode body)
    {
        lock (_lock)
        {
            if (!_bodies.ContainsKey(callbackId))
            {
                _order.Enqueue(callbackId);
            }
            _bodies[callbackId] = body;
            while (_bodies.Count > Capacity && _order.TryDequeue(out var oldest))
            {
                _bodies.Remove(oldest);
            }
            // Ids fetched already leave stale entries in the queue; drop them once it grows past the bound.
            if (_order.Count > Capacity * 2)
            {
                var live = _order.Where(_bodies.ContainsKey).Distinct().ToList();
                _order.Clear();
                live.ForEach(_order.Enqueue);
            }
        }
    }

    public bool TryTake(string callbackId, out JsonNode? body)
    {
        lock (_lock)
        {
            return _bodies.Remove(callbackId, out body);
        }
    }
}
