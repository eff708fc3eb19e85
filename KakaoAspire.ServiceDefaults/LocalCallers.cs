using System.Net;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Who counts as "on this machine" for development-only routes (the simulator) and the CLI's own rate-limit partition:
/// a loopback connection that was not forwarded for someone else. A tunnel or reverse proxy on the same machine
/// (ngrok, cloudflared, nginx) connects over loopback too, but says whom it forwards for; such a request is remote.
/// </summary>
public static class LocalCallers
{
    /// <summary>Headers proxies and tunnels use to name the client they forward for.</summary>
    private static readonly string[] ForwardingHeaders = ["Forwarded", "X-Real-IP", "CF-Connecting-IP", "True-Client-IP", "X-Client-IP"];

    public static bool IsLocal(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || !IsLoopback(remote))
        {
            return false;
        }
        var headers = context.Request.Headers;
        if (ForwardingHeaders.Any(headers.ContainsKey))
        {
            return false;
        }
        // Our own edge forwards with X-Forwarded-For set to the address it saw: loopback for a local caller.
        foreach (var value in headers["X-Forwarded-For"])
        {
            foreach (var entry in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!IPEndPoint.TryParse(entry, out var forwarded) || !IsLoopback(forwarded.Address))
                {
                    return false;
                }
            }
        }
        return true;
    }

    // A dual-stack listener reports IPv4 callers as ::ffff:a.b.c.d.
    private static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
