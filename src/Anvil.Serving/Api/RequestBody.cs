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
        // Sized for what was declared up to 16 KiB (a 28×28 image in JSON is ~3 KiB), then doubled as bytes come:
        // asking for 64 KiB of room on every read made each small request allocate and zero 80 KiB.
        var buffer = new ArrayBufferWriter<byte>((int)Math.Clamp((request.ContentLength ?? 4095) + 1, 256, 16 * 1024)); // +1: the read that finds the end needs room
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(1); // the room left, or the buffer doubled when full
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
