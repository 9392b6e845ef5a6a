using System.Buffers;
using Anvil.Serving.Inputs;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>
/// Reads a request body whole, refusing it with 413 the moment it passes the limit. The buffer grows as
/// bytes arrive: a declared Content-Length reserves nothing, so a slow or lying client pins only what it sent.
/// </summary>
public static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellation)
    {
        if (request.ContentLength is long declared && declared > maxBytes)
            throw TooLarge(declared, maxBytes);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(64 * 1024);
                var read = await request.Body.ReadAsync(memory, cancellation).ConfigureAwait(false);
                if (read == 0)
                    break;
                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                    throw TooLarge(null, maxBytes);
            }
        }
        catch (BadHttpRequestException e)
        {
            throw e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(null, maxBytes)
                : new InputException(400, $"The request body could not be read: {e.Message}");
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static InputException TooLarge(long? size, long maxBytes) => new(413,
        (size is long s ? $"The body is {s:N0} bytes" : "The body is larger than the limit") +
        $"; the limit is {maxBytes:N0} bytes. Send fewer inputs per request or smaller images.");
}
