namespace Telehealth.Ingest.Storage.Influx;

/// <summary>Which InfluxDB write API the store speaks.</summary>
public enum InfluxApiVersion
{
    /// <summary>InfluxDB 1.x: <c>POST /write?db=&amp;rp=&amp;precision=ms</c>, optional basic authentication.</summary>
    V1 = 1,

    /// <summary>
    /// InfluxDB 2.x: <c>POST /api/v2/write?org=&amp;bucket=&amp;precision=ms</c> with <c>Authorization: Token …</c>.
    /// Reads use 2.x's 1.x-compatible <c>/query</c> (InfluxQL through the bucket's DBRP mapping, same token).
    /// </summary>
    V2 = 2,
}
