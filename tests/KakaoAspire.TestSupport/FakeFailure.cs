namespace KakaoAspire.TestSupport;

/// <summary>
/// What a fake does to one request: wait <see cref="Delay"/> first (the client may give up meanwhile — the fake
/// still goes on, as a real server would), then answer <see cref="HttpStatus"/> or the API result
/// <see cref="ResultCode"/>; with neither, it handles the request normally after the delay.
/// </summary>
public sealed record FakeFailure(int? HttpStatus = null, int? ResultCode = null, TimeSpan? Delay = null, string? Message = null)
{
    public static FakeFailure Status(int status) => new(HttpStatus: status);

    public static FakeFailure Code(int resultCode, string? message = null) => new(ResultCode: resultCode, Message: message);

    public static FakeFailure Slow(TimeSpan delay) => new(Delay: delay);
}
