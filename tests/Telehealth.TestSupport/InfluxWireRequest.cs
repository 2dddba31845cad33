namespace Telehealth.TestSupport;

/// <summary>A request as <see cref="InfluxWireServer"/> received it: the line-protocol body split into lines.</summary>
public sealed record InfluxWireRequest(string Method, string PathAndQuery, string Authorization, IReadOnlyList<string> Lines);
