using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Tensorboard;

namespace VaeGen.Tests;

/// <summary>
/// A TensorBoard event file read back record by record: an 8-byte little-endian length, the masked CRC-32C of those
/// 8 bytes, the Event protobuf (parsed with TorchSharp's generated classes on Google.Protobuf), the masked CRC-32C of
/// its bytes. Every checksum is verified.
/// </summary>
internal sealed class EventFile
{
    private EventFile(string path, List<Event> events)
    {
        Path = path;
        Events = events;
    }

    public string Path { get; }

    public IReadOnlyList<Event> Events { get; }

    /// <summary>The one event file in <paramref name="directory"/> (not its subfolders).</summary>
    public static EventFile In(string directory) =>
        Read(Assert1(Directory.GetFiles(directory, "events.out.tfevents.*"), directory));

    public static EventFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        var at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 12) throw new InvalidDataException($"{path}: a record header is cut short at byte {at}");
            var length = BitConverter.ToInt64(bytes, at);
            if (MaskedCrc32C(bytes.AsSpan(at, 8)) != BitConverter.ToUInt32(bytes, at + 8))
                throw new InvalidDataException($"{path}: the length CRC of the record at byte {at} does not match");
            var data = bytes.AsSpan(at + 12, checked((int)length));
            if (MaskedCrc32C(data) != BitConverter.ToUInt32(bytes, at + 12 + (int)length))
                throw new InvalidDataException($"{path}: the data CRC of the record at byte {at} does not match");
            events.Add(Event.Parser.ParseFrom(data.ToArray()));
            at += 12 + (int)length + 4;
        }
        return new EventFile(path, events);
    }

    /// <summary>Every simple scalar of a tag, as (step, value), in file order.</summary>
    public List<(long Step, float Value)> Scalars(string tag) =>
        Events.Where(e => e.Summary is not null)
            .SelectMany(e => e.Summary.Value.Where(v => v.Tag == tag && v.ValueCase == Summary.Types.Value.ValueOneofCase.SimpleValue).Select(v => (e.Step, v.SimpleValue)))
            .ToList();

    /// <summary>Every image of a tag, as (step, image).</summary>
    public List<(long Step, Summary.Types.Image Image)> Images(string tag) =>
        Events.Where(e => e.Summary is not null)
            .SelectMany(e => e.Summary.Value.Where(v => v.Tag == tag && v.Image is not null).Select(v => (e.Step, v.Image)))
            .ToList();

    /// <summary>Every tag that has at least one value.</summary>
    public SortedSet<string> Tags => new(Events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Select(v => v.Tag)), StringComparer.Ordinal);

    private static string Assert1(string[] files, string directory) =>
        files.Length == 1 ? files[0] : throw new InvalidDataException($"{directory} holds {files.Length} event files, not one");

    /// <summary>TFRecord's checksum: CRC-32C (Castagnoli), rotated right by 15 bits, plus 0xa282ead8.</summary>
    private static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
