using System;
using System.Globalization;
using System.IO;
using VaeGen.Checks;
using TorchSharp;
using VaeGen.Data;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>
/// One pass over a stream cut into batches, in order or through a seeded shuffle buffer: the buffer holds up to
/// <c>bufferSize</c> examples; each batch row is a uniform draw from it, whose place the next example read takes. So
/// memory is the buffer plus a read chunk, whatever the stream's size, and an example can move at most about
/// <c>bufferSize</c> places earlier than where it was read (a full shuffle when the buffer holds the whole stream).
/// </summary>
internal sealed class StreamBatches : IDisposable
{
    /// <summary>Examples read from the stream at once: a few hundred keep the interface calls off the profile.</summary>
    private const int ChunkRows = 256;

    private readonly IExampleStream stream;
    private readonly IExampleReader reader;
    private readonly int features;
    private readonly ValueRule? rule;
    private readonly string parameterName;
    private readonly string modelName;
    private readonly ShuffleDraws? random;
    private readonly float[] chunk;
    private readonly float[]? buffer;
    private float[]? batch;
    private int chunkRows;
    private int chunkNext;
    private int buffered;
    private long read;
    private bool ended;

    /// <param name="stream">The examples.</param>
    /// <param name="bufferSize">Examples the shuffle buffer holds; 0 reads in order.</param>
    /// <param name="seed">Seeds the shuffle: the same seed gives the same order.</param>
    /// <param name="rule">Checks each example as it is read; null checks nothing.</param>
    /// <param name="parameterName">The caller's parameter, for messages.</param>
    /// <param name="modelName">The model class, for messages.</param>
    public StreamBatches(IExampleStream stream, int bufferSize, ulong seed, ValueRule? rule, string parameterName, string modelName)
    {
        this.stream = stream;
        features = stream.Features;
        this.rule = rule;
        this.parameterName = parameterName;
        this.modelName = modelName;
        chunk = new float[ChunkRows * features];
        if (bufferSize > 0)
        {
            var rows = (int)Math.Min(bufferSize, stream.Count);
            buffer = new float[(long)rows * features];
            random = new ShuffleDraws(seed);
        }
        reader = stream.OpenReader();
        if (buffer is not null)
            while (buffered < buffer.Length / features && Take(buffer.AsSpan(buffered * features, features))) buffered++;
    }

    /// <summary>Fills up to <paramref name="rows"/> examples of <paramref name="batch"/>; returns how many, 0 at the end of the pass.</summary>
    public int Next(float[] batch, int rows)
    {
        var filled = 0;
        if (buffer is null)
        {
            while (filled < rows && Take(batch.AsSpan(filled * features, features))) filled++;
            return filled;
        }

        for (; filled < rows && buffered > 0; filled++)
        {
            var pick = random!.Below(buffered);
            var slot = buffer.AsSpan(pick * features, features);
            slot.CopyTo(batch.AsSpan(filled * features, features));
            // The next example takes the drawn one's place; at the end the last buffered one does, and the buffer shrinks.
            if (!Take(slot))
            {
                buffered--;
                if (pick != buffered) buffer.AsSpan(buffered * features, features).CopyTo(slot);
            }
        }
        return filled;
    }

    /// <summary>
    /// The next up to <paramref name="rows"/> examples as a [count, features] tensor in <paramref name="like"/>'s dtype and
    /// on its device; null at the end of the pass.
    /// </summary>
    public Tensor? NextBatch(int rows, Tensor like)
    {
        if (batch is null || batch.Length < (long)rows * features) batch = new float[(long)rows * features];
        var filled = Next(batch, rows);
        if (filled == 0) return null;
        var result = tensor(batch, [batch.Length / features, features]);
        if (filled < result.shape[0]) result = result.narrow(0, 0, filled);
        return like.dtype != ScalarType.Float32 || like.device_type != DeviceType.CPU ? result.to(like.dtype, like.device) : result;
    }

    public void Dispose() => reader.Dispose();

    /// <summary>Copies the next example of the stream into <paramref name="row"/>; false at the end, after checking the count.</summary>
    private bool Take(Span<float> row)
    {
        if (chunkNext == chunkRows)
        {
            if (ended) return false;
            chunkRows = read < stream.Count ? reader.Read(chunk) : 0;
            chunkNext = 0;
            if (chunkRows == 0)
            {
                ended = true;
                if (read != stream.Count)
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{stream.Source} ended after {read} examples, but it says it holds {stream.Count}; a stream must yield the same examples on every pass."));
                return false;
            }
            if (read + chunkRows > stream.Count)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{stream.Source} yielded more than the {stream.Count} examples it says it holds; a stream must yield the same examples on every pass."));
            rule?.Check(chunk.AsSpan(0, chunkRows * features), read, stream, parameterName, modelName);
            read += chunkRows;
        }
        chunk.AsSpan(chunkNext * features, features).CopyTo(row);
        chunkNext++;
        return true;
    }

    /// <summary>The shuffle's draws: SplitMix64's sequence from the seed (see <see cref="Maths.SplitMix64"/>).</summary>
    private sealed class ShuffleDraws(ulong state)
    {
        public int Below(int bound)
        {
            state += Maths.SplitMix64.Gamma;
            var z = Maths.SplitMix64.Mix(state);
            // The top 32 bits scaled to [0, bound) (Lemire's multiply-shift); the bias is below 2^-32 * bound.
            return (int)(((z >> 32) * (ulong)bound) >> 32);
        }
    }
}
