using System.Globalization;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// Garnet's expired-key scan, run by this host instead of Garnet's own schedule, and only after writes. Garnet's
/// <c>--expired-key-deletion-scan-freq</c> walks the log's mutable region every N seconds whether or not anything was
/// written: with 40 MB in the log that kept an idle Garnet at 0.5-2.3 % of a core, against 0.00 % without the scan, and
/// the app's Garnet at 1.3 % once its log was full (docs/benchmarks.md, "Session 13"). The host asks for the same scan
/// (<c>EXPDELSCAN</c>) at the same period when anything was written since the last one: the append-only file's tail,
/// which every write moves (in place or not, from a script too) and no read does, has moved. A store nobody writes to
/// is not walked; its expired keys still read as gone, and their space is reclaimed at the next scan after a write.
/// Without an append-only file there is no such tail, and the scan runs every period, as Garnet's would.
/// </summary>
internal static class ExpiryScan
{
    public const string Flag = "--expired-key-deletion-scan-freq";

    /// <summary>
    /// The arguments without <see cref="Flag"/> (so Garnet's own schedule is off and <c>EXPDELSCAN</c> is allowed),
    /// and the period it gave; null when it gave none or 0 or less (no scan, as in Garnet).
    /// </summary>
    public static (string[] Args, TimeSpan? Period) Take(string[] args)
    {
        var index = Array.FindIndex(args, a => a == Flag || a.StartsWith(Flag + "=", StringComparison.Ordinal));
        if (index < 0)
        {
            return (args, null);
        }
        var inline = args[index] != Flag;
        if (!int.TryParse(StoreSizing.ValueOf(args[index..], Flag), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new ArgumentException($"{Flag} needs a whole number of seconds, such as {Flag} 10.");
        }
        string[] rest = [.. args[..index], .. args[(index + (inline ? 1 : 2))..]];
        return (rest, seconds > 0 ? TimeSpan.FromSeconds(seconds) : null);
    }

    /// <summary>
    /// Every <paramref name="period"/>, reads the append-only file's tail address and, when it moved since the last
    /// scan, scans. Connects as a client of the Garnet that <paramref name="garnetArgs"/> started: its first
    /// <c>--bind</c> address (loopback for any or none), its <c>--port</c> and its <c>--password</c>.
    /// A lost connection is opened again at the next period; the server keeps answering whatever happens here.
    /// </summary>
    public static async Task RunAsync(string[] garnetArgs, TimeSpan period, CancellationToken cancellationToken)
    {
        var bind = StoreSizing.ValueOf(garnetArgs, "--bind")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var host = bind is null or "0.0.0.0" or "*" ? "127.0.0.1" : bind is "::" ? "::1" : bind;
        var port = int.TryParse(StoreSizing.ValueOf(garnetArgs, "--port"), CultureInfo.InvariantCulture, out var given) ? given : 6379;
        var password = StoreSizing.ValueOf(garnetArgs, "--password");
        string? scannedAtTail = null;
        var warned = false;
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(host, port, cancellationToken);
                var stream = client.GetStream();
                var reader = new RespReader(stream);
                if (!string.IsNullOrEmpty(password))
                {
                    await SendAsync(stream, "AUTH", password);
                    await reader.ReadAsync();
                }
                // One connection for as long as it works: one INFO a period, and a scan when the tail moved.
                do
                {
                    await SendAsync(stream, "INFO", "persistence");
                    var tail = TailAddress(await reader.ReadAsync());
                    if (tail is null || tail != scannedAtTail)
                    {
                        await SendAsync(stream, "EXPDELSCAN");
                        await reader.ReadAsync();
                        scannedAtTail = tail;
                    }
                    warned = false;
                }
                while (await timer.WaitForNextTickAsync(cancellationToken));
            }
            catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
            {
                if (!warned)
                {
                    Console.Error.WriteLine($"Expired-key scan: {ex.GetType().Name} ({ex.Message}); trying again every {period.TotalSeconds:0} s.");
                    warned = true;
                }
            }
        }
    }

    private static string? TailAddress(string info) =>
        info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("TailAddress:", StringComparison.Ordinal));

    private static Task SendAsync(Stream stream, params string[] parts)
    {
        var command = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
        {
            command.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }
        return stream.WriteAsync(Encoding.UTF8.GetBytes(command.ToString())).AsTask();
    }

    /// <summary>Reads one RESP reply as text (an array's items joined by newlines); an error reply throws.</summary>
    private sealed class RespReader(Stream stream)
    {
        private readonly BufferedStream _buffered = new(stream);

        public async Task<string> ReadAsync()
        {
            var line = await ReadLineAsync();
            switch (line[0])
            {
                case '-':
                    throw new InvalidDataException(line[1..]);
                case '$':
                    var length = int.Parse(line[1..], CultureInfo.InvariantCulture);
                    if (length < 0)
                    {
                        return "";
                    }
                    var data = new byte[length + 2];
                    await _buffered.ReadExactlyAsync(data);
                    return Encoding.UTF8.GetString(data, 0, length);
                case '*':
                    var count = int.Parse(line[1..], CultureInfo.InvariantCulture);
                    var items = new List<string>();
                    for (var i = 0; i < count; i++)
                    {
                        items.Add(await ReadAsync());
                    }
                    return string.Join('\n', items);
                default:
                    return line[1..];
            }
        }

        private async Task<string> ReadLineAsync()
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await _buffered.ReadAsync(one) == 0)
                {
                    throw new IOException("The server closed the connection.");
                }
                if (one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
                {
                    return Encoding.UTF8.GetString(bytes.ToArray(), 0, bytes.Count - 1);
                }
                bytes.Add(one[0]);
            }
        }
    }
}
