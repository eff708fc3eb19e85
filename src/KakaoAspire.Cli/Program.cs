using KakaoAspire.Cli;

return await CliApp.RunAsync(args, CliConsole.Standard);
