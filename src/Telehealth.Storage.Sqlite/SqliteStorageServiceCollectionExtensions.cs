using Telehealth.Storage.Sqlite.Staff;
using Telehealth.CareRecord.Staff;
using Telehealth.CareRecord.Figures;
using Telehealth.CareRecord.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.News2;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Outbox;
using Telehealth.Contracts.Storage;
using Telehealth.Contracts.Waking;
using Telehealth.Storage.Sqlite.Alerts;
using Telehealth.Storage.Sqlite.Caseload;
using Telehealth.Storage.Sqlite.Devices;
using Telehealth.Storage.Sqlite.Escalation;
using Telehealth.Storage.Sqlite.Ingest;
using Telehealth.Storage.Sqlite.Migrations;
using Telehealth.Storage.Sqlite.Outbox;

namespace Telehealth.Storage.Sqlite;

public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// Every care-record store of the embedded engine behind its interface, and its migrator. The adapters (Alerts,
    /// Gateway, Ingest, FHIR, Notifications) depend on the interfaces only; the host calls this (a PostgreSQL engine
    /// would have its own AddTelehealthPostgresStorage) and registers the <see cref="SqliteDatabase"/>, the reading
    /// store (SQLite or InfluxDB) and the rejection log (its retention is the host's setting). Call it before the
    /// adapters' extensions: those that decorate a store (the FHIR outbox) need it registered.
    /// </summary>
    public static IServiceCollection AddTelehealthSqliteStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertEventSignal>();
        services.TryAddSingleton<RuleWakeupSignal>();
        services.TryAddSingleton<ISchemaMigrator>(provider => new SqliteMigrator(provider.GetRequiredService<SqliteDatabase>(), provider.GetRequiredService<TimeProvider>()));

        services.TryAddSingleton<IPatientRepository, SqlitePatientRepository>();
        services.TryAddSingleton<IThresholdRepository, SqliteThresholdRepository>();
        services.TryAddSingleton<IMonitoringPlanStore, SqliteMonitoringPlanStore>();
        services.TryAddSingleton<Telehealth.CareRecord.CarePlans.ICarePlanStore, SqliteCarePlanStore>();
        services.TryAddSingleton<IServiceFiguresSource, SqliteServiceFiguresSource>();
        services.TryAddSingleton<IStaffStore, SqliteStaffStore>();
        services.TryAddSingleton<ISignInFailureLog, SqliteSignInFailureLog>();
        services.TryAddSingleton<ITeamStore, SqliteTeamStore>();
        services.TryAddSingleton<Telehealth.CareRecord.Caseload.IPatientContactStore, Caseload.SqlitePatientContactStore>();
        services.TryAddSingleton<Telehealth.CareRecord.Audit.IAuditLog, Audit.SqliteAuditLog>();
        services.TryAddSingleton<DeviceAccessChanges>(); // the registry tells the device edges of revocations through it
        services.TryAddSingleton<IDeviceRegistry, SqliteDeviceRegistry>();
        services.TryAddSingleton<ITelecareEventStore, SqliteTelecareEventStore>();
        services.TryAddSingleton<IConsciousnessStore, SqliteConsciousnessStore>();
        // A decision's reads of a person's record in one read transaction on one connection (SqliteReadSnapshots).
        services.TryAddSingleton<IReadSnapshots, SqliteReadSnapshots>();

        services.TryAddSingleton(provider => new SqliteAlertStore(provider.GetRequiredService<SqliteDatabase>(), provider.GetRequiredService<AlertEventSignal>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<RuleWakeupSignal>()));
        services.TryAddSingleton<IAlertStore>(provider => provider.GetRequiredService<SqliteAlertStore>());
        services.TryAddSingleton<IAlertEventLog>(provider => provider.GetRequiredService<SqliteAlertStore>());
        services.TryAddSingleton<IAlertEventAppender>(provider => new SqliteAlertEventAppender(
            provider.GetRequiredService<SqliteDatabase>(), provider.GetRequiredService<AlertEventSignal>()));
        services.TryAddSingleton<SqliteRuleStateStore>();
        services.TryAddSingleton<IRuleStateStore>(provider => provider.GetRequiredService<SqliteRuleStateStore>());
        services.TryAddSingleton<INews2AssessmentStore, SqliteNews2AssessmentStore>();
        services.TryAddSingleton<SqliteEvaluationQueue>();
        services.TryAddSingleton<IEvaluationQueue>(provider => provider.GetRequiredService<SqliteEvaluationQueue>());

        services.TryAddSingleton<ITeamRotaStore, SqliteTeamRotaStore>();
        services.TryAddSingleton<SqliteEscalationTimers>();
        services.TryAddSingleton<IEscalationTimerStore>(provider => provider.GetRequiredService<SqliteEscalationTimers>());
        services.TryAddSingleton<Telehealth.CareRecord.Instances.IWorkLeaseStore, Instances.SqliteWorkLeaseStore>();
        services.TryAddSingleton<IOutboxStore, SqliteOutbox>();
        return services;
    }
}
