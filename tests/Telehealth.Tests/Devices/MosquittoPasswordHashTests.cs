
using Telehealth.CareRecord.Devices;

namespace Telehealth.Tests.Devices;

public sealed class MosquittoPasswordHashTests
{
    [Fact]
    public void Hash_has_mosquitto_2_layout_and_verifies_only_its_own_password()
    {
        var stored = MosquittoPasswordHash.Create("s3cret-Ω");

        var parts = stored.Split('$');
        Assert.Equal(["", "7", "101"], parts[..3]);
        Assert.Equal(12, Convert.FromBase64String(parts[3]).Length);
        Assert.Equal(64, Convert.FromBase64String(parts[4]).Length);
        Assert.True(MosquittoPasswordHash.Verify("s3cret-Ω", stored));
        Assert.False(MosquittoPasswordHash.Verify("s3cret-O", stored));
        Assert.NotEqual(stored, MosquittoPasswordHash.Create("s3cret-Ω")); // salted
    }

    [Fact]
    public void Known_vector_matches_pbkdf2_hmac_sha512()
    {
        // PBKDF2-HMAC-SHA512("password", salt = 12 zero bytes, 101 rounds, 64 bytes), as mosquitto_passwd computes it.
        var stored = MosquittoPasswordHash.Format("password", new byte[12], 101);

        Assert.StartsWith("$7$101$AAAAAAAAAAAAAAAA$", stored, StringComparison.Ordinal);
        Assert.True(MosquittoPasswordHash.Verify("password", stored));
    }
}
