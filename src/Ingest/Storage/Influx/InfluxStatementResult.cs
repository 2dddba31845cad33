namespace Telehealth.Ingest.Storage.Influx;

/// <summary>The result of one statement of an InfluxQL request (a request may carry several, separated by ';').</summary>
public sealed record InfluxStatementResult(int StatementId, IReadOnlyList<InfluxSeries> Series);
