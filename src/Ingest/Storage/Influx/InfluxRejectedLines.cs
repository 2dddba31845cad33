namespace Telehealth.Ingest.Storage.Influx;

/// <summary>
/// Lines [<see cref="Start"/>, Start + <see cref="Count"/>) of a write that InfluxDB did not take as a whole.
/// <see cref="SomeMayBeStored"/>: InfluxDB answered "partial write" (1.x stores the good lines of such a batch), so
/// which lines landed must be asked of the server, never assumed; otherwise none of them was stored.
/// </summary>
public sealed record InfluxRejectedLines(int Start, int Count, string Reason, bool SomeMayBeStored);
