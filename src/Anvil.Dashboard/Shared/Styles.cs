using Microsoft.AspNetCore.Http;

namespace Anvil.Dashboard.Shared;

/// <summary>The dashboard's one stylesheet, embedded in the assembly (no static-file folder to deploy).</summary>
internal static class Styles
{
    private static readonly byte[] Css = Load();

    public static IResult Handle(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(Css, "text/css; charset=utf-8");
    }

    private static byte[] Load()
    {
        using var stream = typeof(Styles).Assembly.GetManifestResourceStream("dashboard.css")
            ?? throw new InvalidOperationException("dashboard.css is not embedded in Anvil.Dashboard.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
