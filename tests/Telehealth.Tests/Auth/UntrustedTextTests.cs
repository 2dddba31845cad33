using Telehealth.Clinician.Web.Hosting;

namespace Telehealth.Tests.Auth;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("nurse-a", "nurse-a")]
    [InlineData("admin\nINFO forged line", "admin\\u000aINFO forged line")]
    [InlineData("a\r\tb\u001b[31m", "a\\u000d\\u0009b\\u001b[31m")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    [InlineData("zero\u200bwidth", "zero\\u200bwidth")]
    [InlineData("Zoë ♥", "Zoë ♥")]
    public void Control_and_line_breaking_characters_are_escaped(string? text, string expected)
    {
        Assert.Equal(expected, UntrustedText.Sanitize(text));
    }

    [Fact]
    public void Long_text_is_cut_and_says_how_much_was_left_out()
    {
        Assert.Equal(new string('x', 64) + "…(+59936)", UntrustedText.Sanitize(new string('x', 60_000)));
        Assert.Equal("abc…(+2)", UntrustedText.Sanitize("abcde", 3));
    }
}
