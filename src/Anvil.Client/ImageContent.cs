using System.Net.Http.Headers;

namespace Anvil.Client;

/// <summary>PNG or JPEG bytes as a predict body: the raw image for one, multipart/form-data files for several.</summary>
internal static class ImageContent
{
    public static HttpContent Create(IReadOnlyList<byte[]> images)
    {
        if (images.Count == 1)
            return Part(images[0], 0);
        var multipart = new MultipartFormDataContent();
        for (var i = 0; i < images.Count; i++)
            multipart.Add(Part(images[i], i), "files", $"image-{i}{(MediaType(images[i], i) == "image/png" ? ".png" : ".jpg")}");
        return multipart;
    }

    private static ByteArrayContent Part(byte[] image, int index)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaType(image, index));
        return content;
    }

    private static string MediaType(byte[] image, int index) => image switch
    {
        [0x89, 0x50, 0x4E, 0x47, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        _ => throw new ArgumentException($"Image {index} is neither PNG nor JPEG (by its first bytes); send PNG or JPEG files."),
    };
}
