using System.Globalization;
using System.Text;

namespace Telehealth.Contracts.Diagnostics;

/// <summary>
/// Makes a string an outsider chose (a username, client id or topic) safe to put in a log line or a rejection
/// detail: cut to a bounded length, so a 60 KB username cannot grow the log by 60 KB per attempt, and with control,
/// format and line-separator characters escaped, so a newline cannot start a forged log line and a bidi override
/// cannot make one id read as another.
/// </summary>
public static class UntrustedText
{
    public const int DefaultMaxLength = 64;

    /// <summary>The text as it may be logged or stored: at most <paramref name="maxLength"/> characters of the original, escaped.</summary>
    public static string Clip(string? text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (text is null)
        {
            return "(none)";
        }
        var keep = Math.Min(text.Length, maxLength);
        // Never cut a surrogate pair in half: the half would be escaped as if it were garbage the sender chose.
        if (keep < text.Length && keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }
        if (keep == text.Length && !NeedsEscaping(text))
        {
            return text;
        }

        var builder = new StringBuilder(keep + 16);
        for (var i = 0; i < keep; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < keep && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            AppendEscaped(builder, c);
        }
        if (keep < text.Length)
        {
            builder.Append("…(+").Append((text.Length - keep).ToString(CultureInfo.InvariantCulture)).Append(" chars)");
        }
        return builder.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (IsUnsafe(c))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsUnsafe(char c) =>
        c == '\\' || char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned;

    private static void AppendEscaped(StringBuilder builder, char c)
    {
        switch (c)
        {
            case '\\':
                builder.Append(@"\\");
                break;
            case '\n':
                builder.Append(@"\n");
                break;
            case '\r':
                builder.Append(@"\r");
                break;
            case '\t':
                builder.Append(@"\t");
                break;
            default:
                if (IsUnsafe(c))
                {
                    builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
                break;
        }
    }
}
