using System.Text;

namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// Folders 0700 and files 0600: the state folder, Garnet's data, the config and its <c>.bak</c> hold tokens, secrets
/// and users' messages. Modes are set again on what already exists, because an earlier version, a copy or a
/// permissive umask may have left them readable by other local users. A no-op on Windows (ACLs, not modes).
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (and missing parents) owner-only, or narrows an existing one to 0700.</summary>
    public static void EnsureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }
        // Also when it existed, and because the umask may have narrowed a new one further: exactly 0700.
        try
        {
            File.SetUnixFileMode(directory, DirectoryMode);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InvalidOperationException(
                $"{directory} must be readable by you only, but its mode cannot be changed ({ex.Message}); " +
                $"make it yours ('chown -R $USER {directory}') or 'chmod 700 {directory}'.", ex);
        }
    }

    /// <summary>Narrows an existing file to 0600; nothing happens when it does not exist.</summary>
    public static void TightenFile(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && !IsSymbolicLink(path))
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>
    /// Makes a folder and everything under it owner-only (folders 0700, files 0600). Symbolic links are left alone,
    /// so a link inside cannot make us change a file elsewhere.
    /// </summary>
    public static void TightenTree(string directory)
    {
        EnsureDirectory(directory);
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
        }))
        {
            entry.UnixFileMode = entry is DirectoryInfo ? DirectoryMode : FileMode;
        }
    }

    /// <summary>Writes the whole text to a temp file created 0600, then moves it into place: never a half-written or readable file.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Copies a file to <paramref name="destination"/> as an owner-only file, whatever the source's mode.</summary>
    public static void Copy(string source, string destination) => WriteAllBytes(destination, File.ReadAllBytes(source));

    public static void WriteAllBytes(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, CreateNewOptions()))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            TightenFile(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Options for a new file that is owner-only from its first byte.</summary>
    public static FileStreamOptions CreateNewOptions()
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }
        return options;
    }

    private static bool IsSymbolicLink(string path) => new FileInfo(path).LinkTarget is not null;
}
