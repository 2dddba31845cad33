namespace Telehealth.Gateway.Decoding;

/// <summary>Builds rejection details so they read the same from every decoder.</summary>
internal static class RejectionDetail
{
    /// <summary>Device-sent names and units are echoed in details; this bounds how much of one is echoed.</summary>
    private const int MaxEchoedLength = 64;

    public static string For(int? recordIndex, string detail) =>
        recordIndex is { } index ? $"record {index}: {detail}" : detail;

    public static string Echo(string deviceText) =>
        deviceText.Length <= MaxEchoedLength ? deviceText : string.Concat(deviceText.AsSpan(0, MaxEchoedLength), "…");
}
