using BenchmarkDotNet.Running;

namespace KakaoAspire.Benchmarks;

// dotnet run -c Release --project bench/KakaoAspire.Benchmarks -- --filter '*'
public static class BenchmarkProgram
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, new BenchConfig());
}
