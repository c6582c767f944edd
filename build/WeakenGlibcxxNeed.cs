// An MSBuild task, compiled by RoslynCodeTaskFactory from VaeGen.targets (see the comment there for why).
// It marks one version need of an ELF64 little-endian shared library as weak (VER_FLG_WEAK) in .gnu.version_r.
public class VaeGenWeakenGlibcxxNeed : Microsoft.Build.Utilities.Task
{
    private const uint SectionTypeVersionNeed = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakFlag = 0x2;                    // VER_FLG_WEAK

    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; }

    [Microsoft.Build.Framework.Required]
    public string Version { get; set; }

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var bytes = System.IO.File.ReadAllBytes(path);
                var outcome = Weaken(bytes, Version);
                if (outcome == "weakened")
                {
                    // Write beside the original, then rename over it, so an interrupted build never leaves half a library,
                    // and so the NuGet cache's copy stays as it was: the repository's outputs are hard links to it
                    // (CreateHardLinksForCopyLocalIfPossible), which a write in place would go through.
                    var temporary = path + ".vaegen-tmp";
                    System.IO.File.WriteAllBytes(temporary, bytes);
                    System.IO.File.Replace(temporary, path, null);
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                        "VaeGen: marked the " + Version + " need of " + path + " weak, so Debian 12's libstdc++ can load it.");
                }
                else
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "VaeGen: " + path + ": " + outcome + ".");
                }
            }
            catch (System.Exception exception)
            {
                Log.LogError("VaeGen: could not patch the version needs of " + path + ": " + exception.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>Sets the weak flag on the named version need; says what it found.</summary>
    private static string Weaken(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            return "not an ELF file, left alone";
        if (elf[4] != 2 || elf[5] != 1) return "not a 64-bit little-endian ELF file, left alone";

        var sectionTable = checked((int)System.BitConverter.ToUInt64(elf, 0x28));
        int entrySize = System.BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = System.BitConverter.ToUInt16(elf, 0x3C);
        for (var section = 0; section < sectionCount; section++)
        {
            var header = sectionTable + section * entrySize;
            if (System.BitConverter.ToUInt32(elf, header + 4) != SectionTypeVersionNeed) continue;

            var offset = checked((int)System.BitConverter.ToUInt64(elf, header + 24));
            var link = (int)System.BitConverter.ToUInt32(elf, header + 40);
            var needCount = (int)System.BitConverter.ToUInt32(elf, header + 44);
            var strings = checked((int)System.BitConverter.ToUInt64(elf, sectionTable + link * entrySize + 24));

            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            for (var need = 0; need < needCount; need++)
            {
                int auxCount = System.BitConverter.ToUInt16(elf, offset + 2);
                var aux = offset + (int)System.BitConverter.ToUInt32(elf, offset + 8);
                // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                for (var entry = 0; entry < auxCount; entry++)
                {
                    var name = ReadString(elf, strings + (int)System.BitConverter.ToUInt32(elf, aux + 8));
                    if (name == version)
                    {
                        var flags = System.BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & WeakFlag) != 0) return version + " is already weak";
                        flags |= WeakFlag;
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        return "weakened";
                    }
                    aux += (int)System.BitConverter.ToUInt32(elf, aux + 12);
                }
                offset += (int)System.BitConverter.ToUInt32(elf, offset + 12);
            }
        }
        return "no " + version + " need, nothing to do";
    }

    private static string ReadString(byte[] bytes, int start)
    {
        var end = start;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return System.Text.Encoding.ASCII.GetString(bytes, start, end - start);
    }
}
