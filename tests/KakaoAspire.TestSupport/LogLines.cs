using Microsoft.Extensions.Logging.Testing;

namespace KakaoAspire.TestSupport;

/// <summary>
/// The log of a service under test (a <see cref="FakeLogCollector"/> behind a <see cref="FakeLoggerProvider"/>) as
/// the lines an operator would read: level, category, message, the structured values and the exception, so a test
/// can assert what is said and that no secret is.
/// </summary>
public static class LogLines
{
    extension(FakeLogCollector logs)
    {
        public IReadOnlyList<string> Lines => [.. logs.GetSnapshot().Select(Format)];
    }

    public static string Format(FakeLogRecord record)
    {
        var values = record.StructuredState is { } state ? string.Join(";", state.Select(p => $"{p.Key}={p.Value}")) : "";
        return $"{record.Level} {record.Category}: {record.Message} [{values}] {record.Exception}";
    }
}
