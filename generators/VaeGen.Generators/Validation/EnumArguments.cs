using System;
using System.Collections.Generic;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Validation;

/// <summary>Attribute arguments of an enum type, which the parser reads as numbers.</summary>
internal static class EnumArguments
{
    /// <summary>
    /// The member <paramref name="argument"/> names, <paramref name="fallback"/> when it was not written; false, with the
    /// diagnostic <paramref name="unknown"/> makes, when the number names no member.
    /// </summary>
    public static bool TryRead<TEnum>(
        Argument<int>? argument, TEnum fallback, Func<Argument<int>, DiagnosticInfo> unknown, List<DiagnosticInfo> diagnostics, out TEnum value)
        where TEnum : struct
    {
        value = fallback;
        if (argument is null) return true;
        if (Enum.IsDefined(typeof(TEnum), argument.Value))
        {
            value = (TEnum)Enum.ToObject(typeof(TEnum), argument.Value);
            return true;
        }
        diagnostics.Add(unknown(argument));
        return false;
    }
}
