namespace KakaoAspire.Moltbot.Config.Tests;

/// <summary>Tokens, secrets and messages on disk are readable by their owner only, also when they were not before.</summary>
public class OwnerOnlyTests
{
    private const UnixFileMode WorldReadableFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode WorldReadableDirectory = WorldReadableFile | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    [Fact]
    public void A_token_file_and_state_folder_left_world_readable_are_narrowed_at_the_next_start()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var home = new TempHome();
        var stateDir = System.IO.Path.Combine(home.Path, "kakao");
        var tokenFile = home.Write("kakao/gateway-token", "an-old-token\n");
        File.SetUnixFileMode(tokenFile, WorldReadableFile);
        File.SetUnixFileMode(stateDir, WorldReadableDirectory);

        var token = GatewayTokenStore.Resolve(TestConfig.Parse("{}"), stateDir);

        Assert.Equal("an-old-token", token.Value);
        Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(tokenFile));
        Assert.Equal(OwnerOnly.DirectoryMode, File.GetUnixFileMode(stateDir));
    }

    [Fact]
    public void A_whole_data_folder_is_narrowed_files_0600_and_folders_0700()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var home = new TempHome();
        var data = System.IO.Path.Combine(home.Path, "redis");
        var log = home.Write("redis/aof/aof.log.0", "messages");
        var checkpoint = home.Write("redis/checkpoints/index/1", "keys");
        foreach (var folder in new[] { data, System.IO.Path.Combine(data, "aof"), System.IO.Path.Combine(data, "checkpoints") })
        {
            File.SetUnixFileMode(folder, WorldReadableDirectory);
        }
        File.SetUnixFileMode(log, WorldReadableFile);
        File.SetUnixFileMode(checkpoint, WorldReadableFile);

        OwnerOnly.TightenTree(data);

        Assert.Equal(OwnerOnly.DirectoryMode, File.GetUnixFileMode(data));
        Assert.Equal(OwnerOnly.DirectoryMode, File.GetUnixFileMode(System.IO.Path.Combine(data, "aof")));
        Assert.Equal(OwnerOnly.DirectoryMode, File.GetUnixFileMode(System.IO.Path.Combine(data, "checkpoints", "index")));
        Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(log));
        Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(checkpoint));
    }

    [Fact]
    public void A_copy_of_a_world_readable_file_is_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var home = new TempHome();
        var source = home.Write("moltbot.json", "{ \"webhookSecret\": \"s\" }");
        File.SetUnixFileMode(source, WorldReadableFile);
        var backup = source + ".bak";
        File.WriteAllText(backup, "older");
        File.SetUnixFileMode(backup, WorldReadableFile);

        OwnerOnly.Copy(source, backup);

        Assert.Equal("{ \"webhookSecret\": \"s\" }", File.ReadAllText(backup));
        Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(backup));
        Assert.Equal(2, Directory.GetFiles(home.Path).Length); // no temp file left behind
    }
}
