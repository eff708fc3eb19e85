using Spectre.Console;

namespace KakaoAspire.Cli;

/// <summary>What a long-running command tells while it works: a changing status, and lines worth keeping.</summary>
public interface ICliProgress
{
    /// <summary>The spinner's text (only shown on a terminal).</summary>
    void Status(string text);

    /// <summary>A line that stays, on standard error.</summary>
    void Line(string text);

    /// <summary>
    /// A line of the command's result: on standard output, or above the spinner on a terminal (where both streams are the
    /// same screen and a plain write would tear the spinner).
    /// </summary>
    void Result(string text);
}

/// <summary>
/// Progress on standard error, never standard output (so <c>--json</c> stays one document): a Spectre.Console spinner
/// when standard error is a terminal, plain lines when it is redirected (tests, CI logs, pipes).
/// </summary>
public static class CliProgress
{
    public static async Task<T> RunAsync<T>(CliConsole console, string title, Func<ICliProgress, Task<T>> work)
    {
        if (!console.IsTerminal)
        {
            return await work(new PlainProgress(console.Out, console.Error));
        }
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(console.Error),
        });
        return await terminal.Status()
            .Spinner(Spinner.Known.Dots)
            .StartAsync(Markup.Escape(title), context => work(new SpinnerProgress(terminal, context)));
    }

    private sealed class PlainProgress(TextWriter output, TextWriter error) : ICliProgress
    {
        public void Result(string text)
        {
            lock (output)
            {
                output.WriteLine(text);
            }
        }

        public void Status(string text)
        {
        }

        public void Line(string text)
        {
            lock (error)
            {
                error.WriteLine(text);
            }
        }
    }

    private sealed class SpinnerProgress(IAnsiConsole terminal, StatusContext context) : ICliProgress
    {
        private readonly Lock _gate = new();

        public void Status(string text)
        {
            lock (_gate)
            {
                context.Status(Markup.Escape(text));
            }
        }

        public void Line(string text)
        {
            lock (_gate)
            {
                terminal.WriteLine(text);
            }
        }

        public void Result(string text) => Line(text);
    }
}
