using System;
using System.IO;
using System.IO.Compression;

namespace OnnxDeployment;

/// <summary>Fashion-MNIST images from an IDX file (gzipped or not), as rows of 784 floats in [0, 1].</summary>
internal static class IdxImages
{
    public const int Pixels = 28 * 28;

    /// <summary>The bundled subset's test images, copied beside the program.</summary>
    public static string BundledTestFile => Path.Combine(AppContext.BaseDirectory, "data", "t10k-images-idx3-ubyte.gz");

    /// <summary>The first <paramref name="count"/> images of <paramref name="file"/>, row after row.</summary>
    public static float[] Read(string file, int count)
    {
        using var stream = File.OpenRead(file);
        using Stream data = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        var header = new byte[16];
        data.ReadExactly(header);
        int Field(int index) => (header[index] << 24) | (header[index + 1] << 16) | (header[index + 2] << 8) | header[index + 3];
        if (Field(0) != 0x803)
            throw new InvalidDataException($"{file}: magic number 0x{Field(0):X} at byte 0, expected 0x803 (IDX, unsigned bytes, three dimensions).");
        if (Field(8) != 28 || Field(12) != 28)
            throw new InvalidDataException($"{file}: images of {Field(8)}x{Field(12)} pixels (bytes 8-15), expected 28x28.");
        if (count > Field(4))
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{file} holds {Field(4)} images.");
        var bytes = new byte[count * Pixels];
        data.ReadExactly(bytes);
        var images = new float[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) images[i] = bytes[i] / 255f;
        return images;
    }

    /// <summary>Pixels above one half become 1, the others 0: the binarized protocol the Bernoulli model was trained on.</summary>
    public static float[] Binarize(float[] images)
    {
        var binary = new float[images.Length];
        for (var i = 0; i < images.Length; i++) binary[i] = images[i] > 0.5f ? 1 : 0;
        return binary;
    }

    /// <summary>For each of <see cref="Throughput.Batches"/>, that many rows from the start of <paramref name="images"/>.</summary>
    public static System.Collections.Generic.Dictionary<int, float[]> Batches(float[] images)
    {
        var batches = new System.Collections.Generic.Dictionary<int, float[]>();
        foreach (var batch in Throughput.Batches) batches[batch] = images[..(batch * Pixels)];
        return batches;
    }
}
