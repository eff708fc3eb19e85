using KakaoAspire.Edge.Errors;
using Yarp.ReverseProxy.Forwarder;

namespace KakaoAspire.Edge.Limits;

public static class BodySizeLimit
{
    /// <summary>1 MiB: Kakao's payloads are a few KB; anything this large is not a skill request.</summary>
    public const long MaxBytes = 1024 * 1024;

    private const string Title = "Request body too large";

    /// <summary>
    /// Refuses a declared body over the cap with 413 before anything is proxied. Bodies without a length (chunked) are
    /// held to the same cap by Kestrel's MaxRequestBodySize while the proxy streams them on; the proxy then gives up
    /// with a client body error and no body, which is answered here with the same 413 as the declared case.
    /// </summary>
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            await EdgeProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, Title,
                $"The body is {context.Request.ContentLength} bytes; the limit is {MaxBytes} bytes (1 MiB). Send a smaller body.");
            return;
        }
        await next(context);
        if (!context.Response.HasStarted && context.Features.Get<IForwarderErrorFeature>()?.Exception is { } error && PassedTheCap(error))
        {
            await EdgeProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, Title,
                $"The body passed the limit of {MaxBytes} bytes (1 MiB) while it was sent, and was not forwarded. Send a smaller body.");
        }
    });

    private static bool PassedTheCap(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }
        return false;
    }
}
