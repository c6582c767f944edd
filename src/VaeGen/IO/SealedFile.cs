using System;
using System.IO;
using System.Security.Cryptography;

namespace VaeGen.IO;

/// <summary>
/// The envelope of VaeGen's own binary files (checkpoints, saved models): a magic string, a format version, the
/// payload's length, the payload, and its SHA-256, so a truncated, padded or damaged file is refused before it is parsed.
/// </summary>
internal static class SealedFile
{
    private const int HashLength = 32;

    /// <summary>Writes the envelope around <paramref name="payload"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, string magic, int version, byte[] payload)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(magic);
        writer.Write(version);
        writer.Write((long)payload.Length);
        writer.Write(payload);
        writer.Write(SHA256.HashData(payload));
    }

    /// <summary>Checks the header, the length and the SHA-256 of the file, and returns its payload.</summary>
    /// <param name="path">The file.</param>
    /// <param name="magic">The magic string the file must start with.</param>
    /// <param name="version">The only format version read.</param>
    /// <param name="notThisKind">The message when the file does not start with <paramref name="magic"/> (an empty file included).</param>
    /// <param name="otherVersion">The message for a file of another version, given that version.</param>
    /// <exception cref="InvalidDataException">The file is of another kind or version, truncated, padded or damaged.</exception>
    public static byte[] ReadPayload(string path, string magic, int version, string notThisKind, Func<int, string> otherVersion)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        string found;
        try
        {
            found = reader.ReadString();
        }
        catch (EndOfStreamException)
        {
            found = string.Empty;
        }
        if (found != magic) throw new InvalidDataException(notThisKind);
        var foundVersion = reader.ReadInt32();
        if (foundVersion != version) throw new InvalidDataException(otherVersion(foundVersion));
        var length = reader.ReadInt64();
        var remaining = stream.Length - stream.Position;
        if (length < 0 || length + HashLength != remaining)
            throw new InvalidDataException($"it declares {length} bytes of contents but holds {remaining - HashLength} (truncated or padded)");
        var payload = reader.ReadBytes((int)length);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(reader.ReadBytes(HashLength)))
            throw new InvalidDataException("its contents do not match their SHA-256 (the file is damaged)");
        return payload;
    }
}
