using Npgsql;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Monitoring;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Observations;
using Telehealth.Storage.Postgres.Caseload;
using Telehealth.Storage.Postgres.Ingest;

namespace Telehealth.Storage.Postgres.Alerts;

/// <summary>
/// The records of a whole evaluation pass's people in one round trip: seven statements in one batch, each for every
/// person of the pass at once (<c>= ANY</c> of their ids), mapped by the same code as the stores' own reads.
/// </summary>
/// <remarks>
/// Why: each decision made its seven reads as seven round trips, side by side on as many pooled connections. In the split
/// bench they were the statements called most (seven for each of 695–1,223 decisions a clock, against about 400 ingest
/// batches), each waking a backend for a primary-key lookup, and a pool of four connections made the decisions of a
/// pass queue for them. A pass of any size now makes one request.
/// </remarks>
public sealed class PostgresEvaluationRecordReader(PostgresDatabase database) : IEvaluationRecordReader
{
    public async Task<IReadOnlyDictionary<string, EvaluationRecord>> ReadAsync(IReadOnlyCollection<string> patientIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patientIds);
        var ids = patientIds.Distinct(StringComparer.Ordinal).ToArray();
        var people = ids.ToDictionary(id => id, id => new Gathered(), StringComparer.Ordinal);
        if (ids.Length == 0)
        {
            return new Dictionary<string, EvaluationRecord>(StringComparer.Ordinal);
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        // The patient id first in every statement (the patients' and observations' columns begin with it), then the
        // columns the store's own read maps. Rows of one person come in the order the store's read gives them (ORDER BY
        // with the person first).
        Add(batch, ids, "SELECT patient_id, kind, critical_low, low, high, critical_high FROM patient_thresholds WHERE patient_id = ANY($1)");
        Add(batch, ids, "SELECT patient_id, set_at, overrides FROM patient_threshold_history WHERE patient_id = ANY($1) ORDER BY patient_id, set_at, seq");
        Add(batch, ids, $"SELECT {PostgresPatientRepository.Columns} FROM patients WHERE id = ANY($1)");
        // The latest of each person by the primary key (patient_id, observed_at_ms), one index probe per person.
        Add(batch, ids, $"""
            SELECT c.* FROM unnest($1::text[]) AS p(id)
            CROSS JOIN LATERAL (SELECT {PostgresConsciousnessStore.Columns} FROM consciousness_observations
                                WHERE patient_id = p.id ORDER BY observed_at_ms DESC LIMIT 1) c
            """);
        Add(batch, ids, """
            SELECT s.patient_id, s.rule_key, s.state_json, s.device_id, s.device_type, s.since_ms, w.wake_at_ms
            FROM rule_states s LEFT JOIN rule_wakeups w ON w.patient_id = s.patient_id AND w.rule_key = s.rule_key
            WHERE s.patient_id = ANY($1)
            """);
        Add(batch, ids, "SELECT patient_id, plan_json FROM monitoring_plans WHERE patient_id = ANY($1)");
        Add(batch, ids, $"SELECT patient_id, alert_json FROM alerts WHERE patient_id = ANY($1) AND {PostgresAlertStore.NotResolved} ORDER BY patient_id, raised_at, row_seq");

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await ReadAllAsync(reader, row => people[row.GetString(0)].Overrides.Add(PostgresThresholdRepository.ReadOverride(row, 1)), cancellationToken);
        await ReadAllAsync(reader, row => people[row.GetString(0)].Timeline.Add((PostgresTime.FromUnixMs(row.GetInt64(1)),
            ThresholdSet.Defaults.WithOverrides(PostgresThresholdRepository.ParseOverrides(row.GetString(2))))), cancellationToken);
        await ReadAllAsync(reader, row => people[row.GetString(0)].Patient = PostgresPatientRepository.Read(row), cancellationToken);
        await ReadAllAsync(reader, row => people[row.GetString(0)].Consciousness = PostgresConsciousnessStore.Read(row), cancellationToken);
        await ReadAllAsync(reader, row =>
        {
            var state = PostgresRuleStateStore.ReadState(row, 1);
            people[row.GetString(0)].RuleStates[state.RuleKey] = state;
        }, cancellationToken);
        await ReadAllAsync(reader, row => people[row.GetString(0)].Plan = PostgresMonitoringPlanStore.Parse(row.GetString(0), row.GetString(1)), cancellationToken);
        await ReadAllAsync(reader, row => people[row.GetString(0)].Alerts.Add(AlertSnapshots.FromJson(row.GetString(1))), cancellationToken);

        return people.ToDictionary(person => person.Key, person => person.Value.ToRecord(person.Key), StringComparer.Ordinal);
    }

    private static void Add(NpgsqlBatch batch, string[] ids, string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        batch.BatchCommands.Add(command);
    }

    /// <summary>Reads the current statement's rows, then moves the reader to the next statement's.</summary>
    private static async Task ReadAllAsync(NpgsqlDataReader reader, Action<NpgsqlDataReader> row, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
        await reader.NextResultAsync(cancellationToken);
    }

    /// <summary>One person's rows as they come in.</summary>
    private sealed class Gathered
    {
        public List<VitalThreshold> Overrides { get; } = [];

        public List<(DateTimeOffset SetAt, ThresholdSet Set)> Timeline { get; } = [];

        public PatientRecord? Patient { get; set; }

        public ConsciousnessObservation? Consciousness { get; set; }

        public Dictionary<string, StoredRuleState> RuleStates { get; } = new(StringComparer.Ordinal);

        public MonitoringPlan? Plan { get; set; }

        public List<AlertCase> Alerts { get; } = [];

        /// <summary>As the stores answer: overrides in kind order over the defaults, and the defaults alone without a history.</summary>
        public EvaluationRecord ToRecord(string patientId) => new(
            patientId,
            ThresholdSet.Defaults.WithOverrides(Overrides.OrderBy(threshold => threshold.Kind)),
            Timeline.Count == 0 ? ThresholdTimeline.DefaultsOnly : new ThresholdTimeline(Timeline),
            Patient,
            Consciousness,
            RuleStates,
            Plan,
            Alerts);
    }
}
