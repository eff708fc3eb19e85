using KakaoAspire.Edge.Errors;

namespace KakaoAspire.Edge.Limits;

public static class BodySizeLimit
{
    /// <summary>1 MiB: Kakao's payloads are a few KB; anything this large is not a skill request.</summary>
    public const long MaxBytes = 1024 * 1024;

    /// <summary>
    /// Refuses a declared body over the cap with 413 before anything is proxied. Bodies without a length are held
    /// to the same cap by Kestrel's MaxRequestBodySize while they are read.
    /// </summary>
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            await EdgeProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"The body is {context.Request.ContentLength} bytes; the limit is {MaxBytes} bytes (1 MiB).");
            return;
        }
        await next(context);
    });
}
