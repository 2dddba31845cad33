using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Decoding;
using static Telehealth.Tests.Decoding.DecodingTestData;

namespace Telehealth.Tests.Decoding;

/// <summary>The one coded SenML record: ACVPU consciousness in 'vs'.</summary>
[Trait("Hazard", "H5")]
public sealed class SenmlConsciousnessTests
{
    private readonly SenmlDecoder _decoder = new(new DecodingOptions());

    [Theory]
    [InlineData("""[{"n":"consciousness","vs":"alert","t":1795000000}]""", AcvpuLevel.Alert)]
    [InlineData("""[{"n":"consciousness","vs":"new_confusion","t":1795000000}]""", AcvpuLevel.NewConfusion)]
    [InlineData("""[{"n":"consciousness","vs":"voice","t":1795000000}]""", AcvpuLevel.Voice)]
    [InlineData("""[{"n":"consciousness","vs":"pain","t":1795000000}]""", AcvpuLevel.Pain)]
    [InlineData("""[{"bn":"urn:dev:id:dev-a:","bt":1795000000,"n":"consciousness","vs":"unresponsive"}]""", AcvpuLevel.Unresponsive)]
    [InlineData("""[{"bu":"%","n":"consciousness","vs":"alert","t":1795000000}]""", AcvpuLevel.Alert)] // a base unit is for numeric records
    [InlineData("""[{"n":"consciousness","vs":"alert","t":1795000000},{"n":"consciousness","vs":"alert","t":1795000000}]""", AcvpuLevel.Alert)]
    public void Each_ACVPU_level_is_accepted_once_at_its_time(string json, AcvpuLevel expected)
    {
        var result = _decoder.Decode(Utf8(json), ReceivedAt);

        var assessed = Assert.Single(result.Consciousness);
        Assert.Equal(expected, assessed.Level);
        Assert.Equal(1_795_000_000_000, assessed.ObservedAt.ToUnixTimeMilliseconds());
        Assert.Empty(result.Accepted);
        Assert.Empty(result.Rejected);
    }

    [Theory]
    [InlineData("""[{"n":"consciousness","vs":"Alert"}]""", RejectionReasons.UnknownValue)]
    [InlineData("""[{"n":"consciousness","vs":"confused"}]""", RejectionReasons.UnknownValue)]
    [InlineData("""[{"n":"consciousness","vs":""}]""", RejectionReasons.UnknownValue)]
    [InlineData("""[{"n":"consciousness"}]""", RejectionReasons.UnknownValue)]
    [InlineData("""[{"n":"consciousness","v":0}]""", RejectionReasons.UnknownValue)]
    [InlineData("""[{"n":"consciousness","vs":"alert","v":0}]""", RejectionReasons.UnknownValue)]
    [InlineData("""[{"n":"consciousness","vb":true}]""", RejectionReasons.UnknownValue)]
    [InlineData("""[{"n":"consciousness","vs":3}]""", RejectionReasons.UnknownValue)]
    [InlineData("""[{"n":"consciousness","vs":"alert","u":"{score}"}]""", RejectionReasons.UnknownUnit)]
    [InlineData("""[{"n":"consciousness","vs":"alert","t":4102444800}]""", RejectionReasons.FutureTimestamp)]
    [InlineData("""[{"n":"consciousness_level","vs":"alert"}]""", RejectionReasons.UnknownName)]
    public void Anything_else_in_a_consciousness_record_is_refused_with_a_reason(string json, string reason)
    {
        var result = _decoder.Decode(Utf8(json), ReceivedAt);

        Assert.Empty(result.Consciousness);
        Assert.Equal(reason, Assert.Single(result.Rejected).Reason);
    }

    [Fact]
    public void Two_levels_at_one_time_are_both_refused_and_the_readings_beside_them_kept()
    {
        var result = _decoder.Decode(Utf8("""
            [{"bt":1795000000,"n":"consciousness","vs":"alert"},
             {"n":"heart_rate","u":"beat/min","v":80},
             {"n":"consciousness","vs":"voice"}]
            """), ReceivedAt);

        Assert.Empty(result.Consciousness);
        Assert.Single(result.Accepted);
        Assert.Equal([0, 2], result.Rejected.Select(r => r.RecordIndex!.Value));
        Assert.All(result.Rejected, r => Assert.Equal(RejectionReasons.ConflictingDuplicate, r.Reason));
        Assert.False(result.IsWholeMessageRejected);
    }
}
