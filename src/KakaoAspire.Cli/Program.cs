using KakaoAspire.Cli;

return await CliApp.RunAsync(args, CliConsole.Standard);

// The ASP.NET Core framework (through the config library's bearer filter) would make a top-level Program public, and
// then clash with the services' Program in test projects that reference both: the CLI's stays internal.
internal partial class Program;
