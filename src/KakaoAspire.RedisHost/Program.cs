using System.Runtime.InteropServices;
using Garnet;

// Garnet writes users' sessions, pairings and queued messages to its log and checkpoints: new files owner-only (0600),
// whatever umask the orchestrator passed down. The AppHost narrows the folder and what already exists.
if (!OperatingSystem.IsWindows())
{
    Posix.umask(0b000_111_111); // 077
}

// Sized for a small store unless the command line says otherwise (StoreSizing: log, pages, index, append-only file).
args = StoreSizing.Apply(args);
// Scripts run as one step, as on Redis (ScriptAtomicity): Garnet's default runs their commands one by one.
args = ScriptAtomicity.Apply(args);
// The expired-key scan is this host's to run, after writes only (ExpiryScan); Garnet's own schedule stays off.
(args, var scanPeriod) = ExpiryScan.Take(args);

// The AppHost passes the password in the environment, never on the command line (which the orchestrator logs).
var password = Environment.GetEnvironmentVariable("KAKAOASPIRE_REDIS_PASSWORD");
string[] garnetArgs = string.IsNullOrEmpty(password) ? args : [.. args, "--password", password];
using var server = new GarnetServer(garnetArgs);
server.Start();
if (scanPeriod is { } period)
{
    await ExpiryScan.RunAsync(garnetArgs, period, CancellationToken.None);
}
Thread.Sleep(Timeout.Infinite);

internal static class Posix
{
    [DllImport("libc", SetLastError = false)]
    internal static extern uint umask(uint mask);
}
