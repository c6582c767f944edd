using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>
/// A defect injected into a declaration. <paramref name="ExpectedId"/> is the VaeGen diagnostic that must report it, or
/// null when the C# compiler already rejects it (then any error, the compiler's or VaeGen's, will do). A
/// <paramref name="IsWarning"/> defect is one VaeGen must warn about: the declaration stays valid and must still compile.
/// </summary>
internal sealed record Defect(string What, string? ExpectedId, bool IsWarning = false)
{
    public bool IsCompilers => ExpectedId is null;

    public override string ToString() => ExpectedId is null ? $"{What} (compiler)" : IsWarning ? $"{What} ({ExpectedId}, warning)" : $"{What} ({ExpectedId})";
}

/// <summary>Where a declaration lives: the global namespace, a file-scoped one, a block, or nested blocks.</summary>
internal enum NamespaceStyle
{
    Global,
    FileScoped,
    Block,
    NestedBlocks,
}

/// <summary>A type that contains the VAE class.</summary>
internal sealed record Container(string Kind, string Name, string Access, bool IsPartial, bool IsStatic, string TypeParameters);

/// <summary>A user member of the VAE class; <c>$NAME$</c> in its text stands for the class name (constructors).</summary>
internal sealed record Member(string Key, string Text, ImmutableArray<Defect> Defects, bool AllowedInStaticClass, int File = 0);

/// <summary>One attribute (without brackets) and the defects its arguments carry.</summary>
/// <param name="Group">Attributes of one group (the convolutions of the encoder, or of the decoder) keep their order: it is the order of the layers.</param>
internal sealed record AttributeSpec(string Text, ImmutableArray<Defect> Defects, bool NeedsNullableDisabled = false, string? Group = null);

/// <summary>An attribute list as written: the attributes in it, its file, its target, and where a garbage cut truncates it.</summary>
internal sealed record AttributeList(ImmutableArray<string> Attributes, int File, bool TypeTarget, int? CutAt)
{
    public string Render()
    {
        var text = "[" + (TypeTarget ? "type: " : string.Empty) + string.Join(", ", Attributes) + "]";
        return CutAt is { } cut ? text[..Math.Clamp(cut, 1, text.Length - 1)] : text;
    }
}

/// <summary>Plain syntax damage done to one file after rendering.</summary>
internal enum GarbageKind
{
    InsertAtLineStart,
    Append,
    DropLastBrace,

    /// <summary>Cuts an attribute list short; done while building (<see cref="AttributeList.CutAt"/>), so <see cref="Garbage.Apply"/> leaves the text.</summary>
    TruncateAttributeList,
}

/// <summary>
/// Damage to File<paramref name="File"/>: <paramref name="Token"/> inserted at the start of an eligible line (picked by
/// <paramref name="Position"/>) or appended, the last brace dropped, or an attribute list (picked by
/// <paramref name="Position"/>) cut after <paramref name="Cut"/> characters (modulo its length).
/// </summary>
internal sealed record Garbage(GarbageKind Kind, int File, int Position, string Token, int Cut = 0)
{
    public string Apply(string text)
    {
        switch (Kind)
        {
            case GarbageKind.Append:
                return text + Token + "\n";
            case GarbageKind.TruncateAttributeList:
                return text;
            case GarbageKind.DropLastBrace:
                var brace = text.LastIndexOf('}');
                return brace < 0 ? text + "{\n" : text.Remove(brace, 1);
            default:
                var lines = text.Split('\n');
                var eligible = Enumerable.Range(0, lines.Length)
                    .Where(i => lines[i].Trim().Length > 0 && !lines[i].TrimStart().StartsWith("///", StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith('#'))
                    .ToList();
                var line = eligible[Position % eligible.Count];
                lines[line] = Token + " " + lines[line];
                return string.Join("\n", lines);
        }
    }
}

/// <summary>A second VAE class in File1: none, a valid one elsewhere, or one whose name differs only in case.</summary>
internal enum CompanionKind
{
    None,
    Valid,
    CaseTwin,
}

/// <summary>The class itself: its kind, name, modifiers, type parameters, primary constructor and base list.</summary>
/// <param name="Kind">class, record, record class, struct, record struct or interface.</param>
/// <param name="Name">The name as written (@event, Vae\u0041).</param>
/// <param name="MetadataName">The name the compiler sees (event, VaeA).</param>
/// <param name="Modifier">sealed, abstract or empty.</param>
/// <param name="Base">The base list entry (a class or an interface), or null.</param>
/// <param name="BaseIsClass">Whether <paramref name="Base"/> names a class other than object.</param>
/// <param name="BaseFile">The part carrying the base list when the class is split.</param>
internal sealed record ClassSpec(
    string Kind,
    string Name,
    string MetadataName,
    string Access,
    bool IsPartial,
    bool IsStatic,
    string Modifier,
    bool IsFile,
    string TypeParameters,
    string? PrimaryConstructor,
    string? Base,
    bool BaseIsClass,
    int BaseFile)
{
    public bool IsClassKind => Kind == "class";

    public bool IsRecordClass => Kind is "record" or "record class";
}

/// <summary>
/// A whole generated test case: one class with VaeGen attributes (or not), in one file or split across two, with the
/// defects that were injected. <see cref="Render"/> writes the source files; <see cref="Defects"/> says what the
/// generator and the compiler must object to.
/// </summary>
internal sealed record Declaration(
    NamespaceStyle Style,
    string? Namespace,
    ImmutableArray<Container> Containers,
    ClassSpec Class,
    ImmutableArray<AttributeList> AttributeLists,
    ImmutableArray<Defect> AttributeDefects,
    int VaeCount,
    ImmutableArray<Member> Members,
    bool IsSplit,
    bool NullableDisabled,
    Garbage? Garbage,
    CompanionKind Companion = CompanionKind.None,
    ImmutableArray<string> Features = default,
    bool SizeOverflows = false)
{
    /// <summary>What the declaration uses that is worth counting among the cases compiled in full (convolutions, a condition, ...).</summary>
    public ImmutableArray<string> FeatureList => Features.IsDefault ? [] : Features;

    /// <summary>The hint name of the valid companion class, which must be generated whatever happens to this one.</summary>
    public const string CompanionHintName = "Companions.Companion.Vae.g.cs";

    /// <summary>Exactly one [Vae]: the generator looks at this class.</summary>
    public bool IsVae => VaeCount == 1;

    /// <summary>Every defect that applies: generator ones only when the generator looks at the class.</summary>
    public ImmutableArray<Defect> Defects
    {
        get
        {
            var defects = ImmutableArray.CreateBuilder<Defect>();
            var cls = Class;
            if (!cls.IsClassKind && !cls.IsRecordClass && AttributeLists.Length > 0)
                defects.Add(new Defect($"VaeGen attributes on a {cls.Kind}", null));
            if (cls.IsRecordClass) defects.Add(new Defect("record", "VAE0006"));
            else if (cls.IsClassKind && !cls.IsPartial) defects.Add(new Defect("not partial", "VAE0001"));
            if (cls.IsStatic) defects.Add(new Defect("static", "VAE0002"));
            if (GeneratedMembers.Names.Contains(cls.MetadataName)) defects.Add(new Defect($"class named '{cls.MetadataName}'", "VAE0019"));
            if (cls.MetadataName == "var" || Members.Any(m => m.Key == "var")) defects.Add(new Defect("a type named var in scope", "VAE0022"));
            if (cls.IsFile) defects.Add(new Defect("file-local", "VAE0021"));
            if (cls.PrimaryConstructor is not null && cls.IsClassKind) defects.Add(new Defect("primary constructor", "VAE0020"));
            // An empty primary constructor is a parameterless constructor, which the generated one would clash with.
            if (cls.PrimaryConstructor == "()" && (cls.IsClassKind || cls.IsRecordClass)) defects.Add(new Defect("parameterless primary constructor", "VAE0017"));
            if (cls.TypeParameters.Length > 0 || Containers.Any(c => c.TypeParameters.Length > 0)) defects.Add(new Defect("generic", "VAE0003"));
            foreach (var container in Containers.Where(c => !c.IsPartial)) defects.Add(new Defect($"in non-partial {container.Name}", "VAE0004"));
            if (cls.BaseIsClass && cls.IsClassKind) defects.Add(new Defect($"base class {cls.Base}", "VAE0005"));
            defects.AddRange(AttributeDefects);
            if (VaeCount > 1) defects.Add(new Defect("[Vae] twice", null));

            var keys = Members.Select(m => m.Key).ToList();
            foreach (var member in Members)
            {
                defects.AddRange(member.Defects);
                if (member.Key == cls.MetadataName) defects.Add(new Defect($"member named like its class: {member.Key}", null));
            }
            foreach (var duplicate in keys.GroupBy(k => k).Where(g => g.Count() > 1))
                defects.Add(new Defect($"two members '{duplicate.Key}'", null));
            if (Garbage is { Kind: not GarbageKind.TruncateAttributeList }) defects.Add(new Defect($"garbage: {Garbage.Kind} '{Garbage.Token}' in File{Garbage.File}", null));
            if (AttributeLists.Any(l => l.CutAt is not null)) defects.Add(new Defect("truncated attribute list", null));

            // VaeGen counts the parameters and multiply-accumulates of a declaration with no other error only.
            if (SizeOverflows && defects.All(d => d.IsWarning)) defects.Add(new Defect("more parameters or multiply-accumulates than a long holds", "VAE0031"));

            // Without exactly one [Vae] the generator has nothing to say (nor to warn about); only the compiler's objections remain.
            return IsVae ? defects.ToImmutable() : defects.Where(d => d.IsCompilers).ToImmutableArray();
        }
    }

    public ImmutableArray<string> Render()
    {
        // A companion takes File1, so only an unsplit declaration has one.
        var files = new string[IsSplit || Companion != CompanionKind.None ? 2 : 1];
        for (var file = 0; file < files.Length; file++)
            files[file] = file == 1 && !IsSplit ? RenderCompanion() : RenderFile(file);
        if (Garbage is { } garbage) files[garbage.File] = garbage.Apply(files[garbage.File]);
        return [.. files];
    }

    private string RenderFile(int file)
    {
        var text = new StringBuilder();
        if (NullableDisabled) text.Append("#nullable disable\n");
        // Aliases of the attributes, which the generator must see through: global ones once, local ones in every part.
        if (file == 0)
        {
            text.Append("global using GlobalVae = global::VaeGen.VaeAttribute;\n");
            text.Append("global using GlobalEncoder = global::VaeGen.EncoderAttribute;\n");
            text.Append("global using GlobalDecoder = global::VaeGen.DecoderAttribute;\n");
        }
        text.Append("using VaeGen;\nusing LocalVae = VaeGen.VaeAttribute;\n\n");

        var closers = new StringBuilder();
        var namespaceParts = Namespace?.Split('.', 2) ?? [];
        switch (Style)
        {
            case NamespaceStyle.FileScoped:
                text.Append($"namespace {Namespace};\n\n");
                break;
            case NamespaceStyle.NestedBlocks when namespaceParts.Length == 2:
                text.Append($"namespace {namespaceParts[0]}\n{{\nnamespace {namespaceParts[1]}\n{{\n");
                closers.Append("}\n}\n");
                break;
            case NamespaceStyle.Block or NamespaceStyle.NestedBlocks:
                text.Append($"namespace {Namespace}\n{{\n");
                closers.Append("}\n");
                break;
        }

        if (file == 0)
        {
            if (Class.Base == "IMarker") text.Append("/// <summary>A marker.</summary>\npublic interface IMarker;\n\n");
            if (Class.Base == "Base") text.Append("/// <summary>A base class.</summary>\npublic class Base;\n\n");
        }

        foreach (var container in Containers)
        {
            if (file == 0)
            {
                text.Append("/// <summary>A container.</summary>\n");
                if (container.TypeParameters.Length > 0) text.Append(TypeParameterDocs(container.TypeParameters));
                text.Append(Words(container.Access, container.IsStatic ? "static" : "", container.IsPartial ? "partial" : "", container.Kind));
            }
            else
            {
                text.Append(Words("partial", container.Kind));
            }
            text.Append($" {container.Name}{container.TypeParameters}\n{{\n");
        }

        var cls = Class;
        if (file == 0)
        {
            text.Append("/// <summary>The model.</summary>\n");
            if (cls.TypeParameters.Length > 0) text.Append(TypeParameterDocs(cls.TypeParameters));
        }
        foreach (var list in AttributeLists.Where(l => l.File == file)) text.Append(list.Render()).Append('\n');
        text.Append(file == 0
            ? Words(cls.Access, cls.IsStatic ? "static" : "", cls.Modifier, cls.IsFile ? "file" : "", cls.IsPartial ? "partial" : "", cls.Kind)
            : Words("partial", cls.Kind));
        text.Append(' ').Append(cls.Name).Append(cls.TypeParameters);
        if (file == 0 && cls.PrimaryConstructor is not null) text.Append(cls.PrimaryConstructor);
        if (cls.Base is not null && cls.BaseFile == file) text.Append(" : ").Append(cls.Base);

        var members = Members.Where(m => m.File == file).Select(m => m.Text.Replace("$NAME$", cls.Name, StringComparison.Ordinal)).ToList();
        if (file == 0 && cls.PrimaryConstructor == "(int seed)" && cls.Kind is "class" or "struct")
            members.Insert(0, "/// <summary>The primary constructor's argument.</summary>\ninternal int PrimarySeed => seed;");
        text.Append(members.Count == 0 ? ";\n" : "\n{\n" + string.Join("\n\n", members) + "\n}\n");

        foreach (var _ in Containers) text.Append("}\n");
        text.Append(closers);
        return text.ToString();
    }

    private string RenderCompanion()
    {
        const string Attributes = "[Vae(8, 2)] [Encoder(4)] [Decoder(4)]\n";
        if (Companion == CompanionKind.Valid)
            return "using VaeGen;\n\nnamespace Companions\n{\n/// <summary>Another model.</summary>\n" + Attributes + "public partial class Companion;\n}\n";

        // The same namespace, and the class's name with its letters' case flipped: a distinct, valid C# type.
        var twin = CaseTwinName(Class.MetadataName)!;
        var body = "/// <summary>A model whose name differs only in case.</summary>\n" + Attributes + $"public partial class {twin};\n";
        return "using VaeGen;\n\n" + (Namespace is null ? body : $"namespace {Namespace}\n{{\n{body}}}\n");
    }

    /// <summary>
    /// The name with the case of its first cased letter flipped, or null when it has none or the twin would itself be an
    /// invalid VAE class name (a generated member's name, a keyword, or var) or would clash with a helper type the
    /// declaration may write beside the class (the base class Base, the interface IMarker).
    /// </summary>
    public static string? CaseTwinName(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var flipped = char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c);
            if (flipped == c) continue;
            var twin = name[..i] + flipped + name[(i + 1)..];
            var usable = !GeneratedMembers.Names.Contains(twin) && !string.Equals(twin, "var", StringComparison.OrdinalIgnoreCase)
                && twin is not ("Base" or "IMarker")
                && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(twin) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None;
            return usable ? twin : null;
        }
        return null;
    }

    private static string TypeParameterDocs(string typeParameters) =>
        string.Concat(typeParameters.Trim('<', '>').Split(',').Select(t => $"/// <typeparam name=\"{t.Trim()}\">A type.</typeparam>\n"));

    private static string Words(params string[] words) => string.Join(" ", words.Where(w => w.Length > 0));

    /// <summary>The case as a reader needs it to reproduce a failure: the defects, then every file.</summary>
    public string Describe(ImmutableArray<string> sources)
    {
        var text = new StringBuilder();
        text.Append("Injected defects: ").Append(Defects.Length == 0 ? "none (a valid declaration)" : string.Join("; ", Defects)).Append('\n');
        if (FeatureList.Length > 0) text.Append("Features: ").Append(string.Join("; ", FeatureList)).Append('\n');
        for (var i = 0; i < sources.Length; i++) text.Append($"--- File{i}.cs ---\n").Append(sources[i]).Append('\n');
        return text.ToString();
    }
}
