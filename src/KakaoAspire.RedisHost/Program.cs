using Garnet;

// The AppHost passes the password in the environment, never on the command line (which the orchestrator logs).
var password = Environment.GetEnvironmentVariable("KAKAOASPIRE_REDIS_PASSWORD");
using var server = new GarnetServer(string.IsNullOrEmpty(password) ? args : [.. args, "--password", password]);
server.Start();
Thread.Sleep(Timeout.Infinite);
