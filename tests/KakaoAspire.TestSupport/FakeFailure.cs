namespace KakaoAspire.TestSupport;

/// <summary>
/// What a fake does to one request: wait <see cref="Delay"/> first (the client may give up meanwhile — the fake
/// still goes on, as a real server would), then answer <see cref="HttpStatus"/> or the API result
/// <see cref="ResultCode"/>, or HTTP 200 with the raw <see cref="Body"/> (not JSON, or JSON of the wrong shape); with none
/// of them, it handles the request normally after the delay.
/// </summary>
public sealed record FakeFailure(int? HttpStatus = null, int? ResultCode = null, TimeSpan? Delay = null, string? Message = null, string? Body = null)
{
    public static FakeFailure Answer(string body) => new(Body: body);

    public static FakeFailure Status(int status) => new(HttpStatus: status);

    public static FakeFailure Code(int resultCode, string? message = null) => new(ResultCode: resultCode, Message: message);

    public static FakeFailure Slow(TimeSpan delay) => new(Delay: delay);
}
