using System.ComponentModel.DataAnnotations;
using Telehealth.Ingest.Storage.Influx;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>Settings are checked at start (ValidateDataAnnotations): each wrong one is named.</summary>
public sealed class InfluxOptionsTests
{
    private static List<string> Problems(Action<InfluxOptions> change)
    {
        var options = new InfluxOptions();
        change(options);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.SelectMany(r => r.MemberNames).Order().ToList();
    }

    public static TheoryData<string, Action<InfluxOptions>, string[]> Cases => new()
    {
        { "defaults", _ => { }, [] },
        { "v2 complete", o => { o.ApiVersion = InfluxApiVersion.V2; o.Org = "o"; o.Bucket = "b"; o.Token = "t"; }, [] },
        { "v2 without org, bucket, token", o => o.ApiVersion = InfluxApiVersion.V2, ["Bucket", "Org", "Token"] },
        { "v2 with 1.x retention", o => { o.ApiVersion = InfluxApiVersion.V2; o.Org = "o"; o.Bucket = "b"; o.Token = "t"; o.RawRetentionPolicy = "raw"; }, ["DownsampleInterval", "RawRetentionPolicy"] },
        { "unknown api version", o => o.ApiVersion = (InfluxApiVersion)3, ["ApiVersion"] },
        { "ftp url", o => o.Url = new Uri("ftp://influx"), ["Url"] },
        { "timeout too short", o => o.RequestTimeout = TimeSpan.FromMilliseconds(10), ["RequestTimeout"] },
        { "no attempts", o => o.MaxAttempts = 0, ["MaxAttempts"] },
        { "raw retention under an hour", o => { o.RawRetentionPolicy = "raw"; o.RawRetention = TimeSpan.FromMinutes(30); }, ["RawRetention"] },
        { "raw retention without a policy", o => o.RawRetention = TimeSpan.FromHours(2), ["RawRetention"] },
        { "bad policy name", o => o.RawRetentionPolicy = "_raw", ["RawRetentionPolicy"] },
        { "downsampling ok", o => { o.RawRetentionPolicy = "raw"; o.RawRetention = TimeSpan.FromDays(30); o.DownsampleInterval = TimeSpan.FromMinutes(5); }, [] },
        { "sub-second interval", o => o.DownsampleInterval = TimeSpan.FromMilliseconds(500), ["DownsampleInterval"] },
        { "late window under the interval", o => { o.DownsampleInterval = TimeSpan.FromHours(2); o.DownsampleLateWindow = TimeSpan.FromHours(1); }, ["DownsampleLateWindow"] },
        { "raw expires before summaries are final", o => { o.RawRetentionPolicy = "raw"; o.RawRetention = TimeSpan.FromHours(1); o.DownsampleInterval = TimeSpan.FromMinutes(1); o.DownsampleLateWindow = TimeSpan.FromHours(2); }, ["RawRetention"] },
        { "same policy for both", o => { o.RawRetentionPolicy = "p"; o.DownsampledRetentionPolicy = "p"; o.DownsampleInterval = TimeSpan.FromMinutes(1); }, ["DownsampledRetentionPolicy"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_wrong_setting_is_named(string name, Action<InfluxOptions> change, string[] expected)
    {
        Assert.True(expected.SequenceEqual(Problems(change)), $"{name}: got [{string.Join(", ", Problems(change))}]");
    }
}
