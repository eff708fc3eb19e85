using System.Text;
using Spectre.Console;

namespace KakaoAspire.Cli;

/// <summary>Where the CLI reads and writes, and the environment it sees; tests give it their own.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, bool IsInteractive)
{
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public string HomeDirectory { get; init; } = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);

    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>
    /// True when standard output and standard error both reach a terminal: only then does a spinner draw (on standard
    /// error); tests, pipes and redirected output get plain lines.
    /// </summary>
    public bool IsTerminal { get; init; }
    /// <summary>Where interactive prompts run (the terminal; a Spectre TestConsole in tests).</summary>
    public IAnsiConsole? Prompts { get; init; }

    public static CliConsole Standard
    {
        get
        {
            // Korean text must reach the terminal as UTF-8 whatever the platform default is.
            Console.OutputEncoding = Encoding.UTF8;
            Console.InputEncoding = Encoding.UTF8;
            return new CliConsole(Console.Out, Console.Error, Console.In, !Console.IsInputRedirected)
            {
                Prompts = AnsiConsole.Console,
                IsTerminal = !Console.IsOutputRedirected && !Console.IsErrorRedirected,
            };
        }
    }
}
