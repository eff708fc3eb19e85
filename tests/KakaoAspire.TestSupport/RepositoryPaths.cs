using System.Reflection;

namespace KakaoAspire.TestSupport;

public static class RepositoryPaths
{
    private static string Metadata(string key) => typeof(RepositoryPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string Root => Metadata("RepositoryRoot");

    public static string RedisHostAssembly => Metadata("RedisHostAssembly");
}
