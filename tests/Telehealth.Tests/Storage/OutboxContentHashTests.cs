using Telehealth.Contracts.Outbox;

namespace Telehealth.Tests.Storage;

/// <summary>The outbox's content hash is SHA-256 of the payload's UTF-8 in upper-case hex (stored rows depend on it).</summary>
public sealed class OutboxContentHashTests
{
    [Theory]
    [InlineData("", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("abc", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    // Two-byte UTF-8 (é = C3 A9): the hash is of the UTF-8, not of the UTF-16 text.
    [InlineData("é", "4A99557E4033C3539DE2EB65472017CAD5F9557F7A0625A09F1C3F6E2BA69C4C")]
    public void Is_sha256_of_the_utf8_in_upper_case_hex(string payload, string expected)
    {
        Assert.Equal(expected, OutboxContentHash.Of(payload));
    }
}
