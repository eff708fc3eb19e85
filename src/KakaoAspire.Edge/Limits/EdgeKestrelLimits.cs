using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KakaoAspire.Edge.Limits;

/// <summary>
/// Kestrel's limits on the public port, tighter than its defaults (Kestrel's hardening guidance): a skill request is a
/// few headers and a small JSON body from Kakao's servers, so slow or oversized headers and connection floods are cut
/// off before they cost anything. Configuration section <c>Edge</c> (tests lower the connection cap).
/// </summary>
public sealed class EdgeKestrelLimits
{
    public const string Section = "Edge";

    /// <summary>Open connections at once; over it a new connection is closed at accept.</summary>
    public long MaxConnections { get; set; } = 1000;

    /// <summary>The whole request head must arrive within this (Kestrel's default is 30 s: a slow-header attack's friend).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>All request headers together (Kestrel's default is 32 KiB); over it: 431.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 16 * 1024;

    public int MaxRequestHeaderCount { get; set; } = 64;

    public int MaxRequestLineSize { get; set; } = 8 * 1024;

    public void ApplyTo(KestrelServerLimits limits)
    {
        limits.MaxConcurrentConnections = MaxConnections;
        limits.MaxConcurrentUpgradedConnections = MaxConnections;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
        limits.MaxRequestLineSize = MaxRequestLineSize;
        limits.Http2.MaxRequestHeaderFieldSize = MaxRequestHeadersTotalSize;
        limits.MaxRequestBodySize = BodySizeLimit.MaxBytes;
    }
}
