using Telehealth.Contracts.Diagnostics;
using Telehealth.Gateway.Diagnostics;

namespace Telehealth.Tests.Gateway;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("dev-abcdefghjk", "dev-abcdefghjk")]
    [InlineData("", "")]
    [InlineData("line\nforged WARN admin signed in", @"line\nforged WARN admin signed in")]
    [InlineData("a\r\nb\tc", @"a\r\nb\tc")]
    [InlineData("back\\slash", @"back\\slash")]
    [InlineData("nul\0bell\a", @"nul\u0000bell\u0007")]
    [InlineData("esc\u001b[31mred", @"esc\u001b[31mred")]
    [InlineData("rtl\u202Eevil", @"rtl\u202eevil")]
    [InlineData("sep\u2028para\u2029", @"sep\u2028para\u2029")]
    [InlineData("zero\u200Bwidth", @"zero\u200bwidth")]
    [InlineData("émoji 🫀 ok", "émoji 🫀 ok")]
    public void Control_format_and_separator_characters_are_escaped(string input, string expected)
    {
        Assert.Equal(expected, UntrustedText.Clip(input));
    }

    [Fact]
    public void A_lone_surrogate_is_escaped()
    {
        // Not an InlineData case: the test runner's serialisation would replace the lone surrogate before it arrives.
        Assert.Equal(@"lone\ud800surrogate", UntrustedText.Clip("lone\uD800surrogate"));
    }

    [Fact]
    public void Null_is_shown_as_none()
    {
        Assert.Equal("(none)", UntrustedText.Clip(null));
    }

    [Theory]
    [InlineData(64, 64, "")]
    [InlineData(65, 64, "…(+1 chars)")]
    [InlineData(60_000, 64, "…(+59936 chars)")]
    [InlineData(10, 4, "…(+6 chars)")]
    public void Long_text_is_cut_to_the_limit_and_says_how_much_was_cut(int length, int max, string tail)
    {
        var clipped = UntrustedText.Clip(new string('x', length), max);

        Assert.Equal(new string('x', Math.Min(length, max)) + tail, clipped);
    }

    [Fact]
    public void A_surrogate_pair_is_never_cut_in_half()
    {
        var text = new string('a', 63) + "🫀" + "tail";

        var clipped = UntrustedText.Clip(text);

        Assert.Equal(new string('a', 63) + "…(+6 chars)", clipped);
    }

    [Fact]
    public void Escaping_counts_against_the_original_length_not_the_escaped_one()
    {
        var clipped = UntrustedText.Clip(new string('\n', 100), 3);

        Assert.Equal(@"\n\n\n…(+97 chars)", clipped);
    }
}
