using KakaoAspire.Cli;

namespace KakaoAspire.TestSupport;

/// <summary>Runs the real CLI in-process with its own environment, home and state folder, capturing its output.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly Dictionary<string, string> _environment = new();

    public CliRunner()
    {
        _environment["MOLTBOT_STATE_DIR"] = Path.Combine(_home.Path, ".moltbot");
    }

    public string Home => _home.Path;

    public string StateDirectory => _environment["MOLTBOT_STATE_DIR"];

    public CliRunner With(string variable, string value)
    {
        _environment[variable] = value;
        return this;
    }

    public async Task<CliRun> RunAsync(params string[] args) => await RunWithInputAsync(null, args);

    public async Task<CliRun> RunWithInputAsync(string? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, new StringReader(input ?? ""), IsInteractive: input is not null)
        {
            Environment = name => _environment.TryGetValue(name, out var value) ? value : null,
            HomeDirectory = _home.Path,
            WorkingDirectory = _home.Path,
        };
        var code = await CliApp.RunAsync(args, console).WaitAsync(TimeSpan.FromSeconds(60));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public void Dispose() => _home.Dispose();
}
