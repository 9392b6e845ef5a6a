using Anvil.Serving.Inputs;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Anvil.Serving.Api;

/// <summary>The file parts of a multipart/form-data body (already read and size-checked), in order.</summary>
public static class MultipartFiles
{
    public static async Task<IReadOnlyList<ReadOnlyMemory<byte>>> ReadAsync(byte[] body, MediaTypeHeaderValue contentType, int maxFiles)
    {
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            throw new InputException(400, "The multipart/form-data Content-Type has no valid boundary.");
        var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false));
        var files = new List<ReadOnlyMemory<byte>>();
        try
        {
            while (await reader.ReadNextSectionAsync().ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                    continue;
                if (files.Count == maxFiles)
                    throw new InputException(413, $"More than {maxFiles:N0} images in one request: your plan and this server allow at most {maxFiles:N0}. Split them across requests.");
                using var copy = new MemoryStream();
                await section.Body.CopyToAsync(copy).ConfigureAwait(false);
                files.Add(copy.ToArray());
            }
        }
        catch (IOException e)
        {
            throw new InputException(400, $"The multipart body is malformed: {e.Message}");
        }

        return files.Count > 0 ? files
            : throw new InputException(400, "The multipart body has no file parts; attach images as form files (e.g. curl -F image=@shoe.png).");
    }
}
