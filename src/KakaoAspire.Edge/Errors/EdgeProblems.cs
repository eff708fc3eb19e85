using Microsoft.AspNetCore.Mvc;

namespace KakaoAspire.Edge.Errors;

/// <summary>The edge's own refusals (413, 429, 404 for development routes) as Problem Details, like every service's errors.</summary>
public static class EdgeProblems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
