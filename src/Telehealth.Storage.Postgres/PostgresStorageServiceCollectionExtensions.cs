using Telehealth.Storage.Postgres.Staff;
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
using Telehealth.Storage.Postgres.Alerts;
using Telehealth.Storage.Postgres.Caseload;
using Telehealth.Storage.Postgres.Devices;
using Telehealth.Storage.Postgres.Escalation;
using Telehealth.Storage.Postgres.Ingest;
using Telehealth.Storage.Postgres.Migrations;
using Telehealth.Storage.Postgres.Outbox;

namespace Telehealth.Storage.Postgres;

public static class PostgresStorageServiceCollectionExtensions
{
    /// <summary>
    /// Every care-record store on PostgreSQL behind its interface, and its migrator: the same interfaces
    /// <c>AddTelehealthSqliteStorage</c> registers, so the adapters cannot tell the engines apart. The host calls this
    /// instead of the SQLite one when <c>Storage:Postgres:ConnectionString</c> is set, registers the
    /// <see cref="PostgresDatabase"/> (or uses the overload that takes the connection string), the reading store
    /// (InfluxDB) and the rejection log. A new store is one line here and one in the SQLite extension.
    /// </summary>
    public static IServiceCollection AddTelehealthPostgresStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertEventSignal>();
        services.TryAddSingleton<RuleWakeupSignal>();
        services.TryAddSingleton<ISchemaMigrator>(provider => new PostgresMigrator(provider.GetRequiredService<PostgresDatabase>(), provider.GetRequiredService<TimeProvider>()));

        services.TryAddSingleton<IPatientRepository, PostgresPatientRepository>();
        services.TryAddSingleton<IThresholdRepository, PostgresThresholdRepository>();
        services.TryAddSingleton<IMonitoringPlanStore, PostgresMonitoringPlanStore>();
        services.TryAddSingleton<Telehealth.CareRecord.CarePlans.ICarePlanStore, PostgresCarePlanStore>();
        services.TryAddSingleton<IServiceFiguresSource, PostgresServiceFiguresSource>();
        services.TryAddSingleton<IStaffStore, PostgresStaffStore>();
        services.TryAddSingleton<ISignInFailureLog, PostgresSignInFailureLog>();
        services.TryAddSingleton<ITeamStore, PostgresTeamStore>();
        services.TryAddSingleton<Telehealth.CareRecord.Caseload.IPatientContactStore, Caseload.PostgresPatientContactStore>();
        services.TryAddSingleton<Telehealth.CareRecord.Audit.IAuditLog, Audit.PostgresAuditLog>();
        services.TryAddSingleton<DeviceAccessChanges>(); // the registry tells the device edges of revocations through it
        services.TryAddSingleton<IDeviceRegistry, PostgresDeviceRegistry>();
        services.TryAddSingleton<ITelecareEventStore, PostgresTelecareEventStore>();
        services.TryAddSingleton<IConsciousnessStore, PostgresConsciousnessStore>();

        services.TryAddSingleton(provider => new PostgresAlertStore(provider.GetRequiredService<PostgresDatabase>(), provider.GetRequiredService<AlertEventSignal>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<RuleWakeupSignal>()));
        services.TryAddSingleton<IAlertStore>(provider => provider.GetRequiredService<PostgresAlertStore>());
        services.TryAddSingleton<IAlertEventLog>(provider => provider.GetRequiredService<PostgresAlertStore>());
        services.TryAddSingleton<IAlertEventAppender>(provider => new PostgresAlertEventAppender(
            provider.GetRequiredService<PostgresDatabase>(), provider.GetRequiredService<AlertEventSignal>()));
        services.TryAddSingleton<PostgresRuleStateStore>();
        services.TryAddSingleton<IRuleStateStore>(provider => provider.GetRequiredService<PostgresRuleStateStore>());
        services.TryAddSingleton<IEvaluationRecordReader, PostgresEvaluationRecordReader>(); // a pass's reads in one round trip
        services.TryAddSingleton<INews2AssessmentStore, PostgresNews2AssessmentStore>();
        services.TryAddSingleton(provider => new PostgresEvaluationQueue(provider.GetRequiredService<PostgresDatabase>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IEvaluationQueue>(provider => provider.GetRequiredService<PostgresEvaluationQueue>());

        services.TryAddSingleton<ITeamRotaStore, PostgresTeamRotaStore>();
        services.TryAddSingleton<PostgresEscalationTimers>();
        services.TryAddSingleton<IEscalationTimerStore>(provider => provider.GetRequiredService<PostgresEscalationTimers>());
        services.TryAddSingleton<Telehealth.CareRecord.Instances.IWorkLeaseStore, Instances.PostgresWorkLeaseStore>();
        services.TryAddSingleton<IOutboxStore>(provider => new PostgresOutbox(provider.GetRequiredService<PostgresDatabase>(), provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>As <see cref="AddTelehealthPostgresStorage(IServiceCollection)"/>, registering the database of <paramref name="connectionString"/> too.</summary>
    public static IServiceCollection AddTelehealthPostgresStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(new PostgresDatabase(connectionString));
        return services.AddTelehealthPostgresStorage();
    }
}
