using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Monitoring;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.Contracts.Storage;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.News2;
using Telehealth.Contracts.Evaluation;

namespace Telehealth.Tests.Alerts;

/// <summary>
/// The alert engine on a real engine's stores (SQLite, or PostgreSQL through the stores' interfaces) and a fake clock, driven through the durable path the platform uses:
/// data is queued, due wake-ups are fired into the queue, and the queue is evaluated per patient in order. A new
/// harness on the same database is a restart (nothing is carried over in memory).
/// </summary>
internal sealed class EngineHarness
{
    public const string Patient = "pat-harness";

    private readonly IEvaluationQueue _queue;

    /// <param name="stores">Every store of one engine on the test's database (a new set is a restart), on <paramref name="clock"/>.</param>
    public EngineHarness(IServiceProvider stores, FakeTimeProvider clock, AlertOptions? options = null, InMemoryReadingStore? readings = null)
    {
        Clock = clock;
        Readings = readings ?? new InMemoryReadingStore();
        Alerts = stores.GetRequiredService<IAlertStore>();
        RuleStates = stores.GetRequiredService<IRuleStateStore>();
        Thresholds = stores.GetRequiredService<IThresholdRepository>();
        _queue = stores.GetRequiredService<IEvaluationQueue>();
        Patients = stores.GetRequiredService<IPatientRepository>();
        Plans = stores.GetRequiredService<IMonitoringPlanStore>();
        Consciousness = stores.GetRequiredService<IConsciousnessStore>();
        Engine = new AlertEngine(Alerts, stores.GetRequiredService<IAlertEventLog>(), RuleStates, Readings, Thresholds, Patients,
            stores.GetRequiredService<INews2AssessmentStore>(), [], Options.Create(options ?? new AlertOptions()), clock, NullLogger<AlertEngine>.Instance,
            Consciousness, Plans, stores.GetService<IReadSnapshots>());
    }

    public FakeTimeProvider Clock { get; }

    public InMemoryReadingStore Readings { get; }

    public IAlertStore Alerts { get; }

    public IRuleStateStore RuleStates { get; }

    public IThresholdRepository Thresholds { get; }

    public AlertEngine Engine { get; }

    public IPatientRepository Patients { get; }

    public IMonitoringPlanStore Plans { get; }

    public IConsciousnessStore Consciousness { get; }

    /// <summary>Saves the harness patient's monitoring plan (queued for re-evaluation with it) and evaluates.</summary>
    public async Task<IReadOnlyList<AlertEventRecord>> PlanAsync(MonitoringPlan plan, string reason = "agreed with the person")
    {
        await Plans.SaveAsync(plan, new MonitoringPlanChange("nurse-1", reason, Now));
        return await RunAsync();
    }

    /// <summary>Staff record an ACVPU assessment now (queued with it) and the engine evaluates.</summary>
    public async Task<IReadOnlyList<AlertEventRecord>> AcvpuAsync(AcvpuLevel level)
    {
        await Consciousness.AppendAsync(new ConsciousnessObservation(Patient, level, Now, Now, RecordedBy: "nurse-1"));
        return await RunAsync();
    }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Fires due wake-ups and evaluates everything due; returns the events recorded.</summary>
    public async Task<IReadOnlyList<AlertEventRecord>> RunAsync()
    {
        await RuleStates.FireDueAsync(Now);
        var recorded = new List<AlertEventRecord>();
        var due = await _queue.ClaimAsync(10_000, Now, []);
        foreach (var patient in due.GroupBy(item => item.PatientId))
        {
            recorded.AddRange(await Engine.EvaluateDueAsync(patient.Key, patient.ToList(), CancellationToken.None));
        }
        return recorded;
    }

    public async Task<IReadOnlyList<AlertEventRecord>> AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        return await RunAsync();
    }

    public async Task<IReadOnlyList<AlertEventRecord>> StatusAsync(string deviceId, string deviceType, int? intervalSeconds = null, int? battery = null)
    {
        await _queue.EnqueueStatusAsync(new DeviceStatusReport(deviceId, Patient, battery, Now, Now, deviceType,
            intervalSeconds is { } s ? TimeSpan.FromSeconds(s) : null));
        return await RunAsync();
    }

    /// <summary>A pendant's next status a minute later (a status is identified by its device and time).</summary>
    public async Task<IReadOnlyList<AlertEventRecord>> AdvanceThenStatusAsync(int battery, string deviceId = "dev-1")
    {
        Clock.Advance(TimeSpan.FromMinutes(1));
        return await StatusAsync(deviceId, "pendant_alarm", battery: battery);
    }

    /// <param name="deviceTime">When the device says it measured (defaults to now); received is always now.</param>
    public async Task<IReadOnlyList<AlertEventRecord>> ReadingAsync(VitalKind kind, double value, string deviceId = "dev-ox", DateTimeOffset? deviceTime = null)
    {
        var stored = await Readings.AppendAsync([new Reading(deviceId, Patient, kind, value, deviceTime ?? Now, Now)]);
        await _queue.EnqueueReadingsAsync(stored);
        return await RunAsync();
    }

    public async Task<IReadOnlyList<AlertEventRecord>> EventAsync(TelecareEventType type, string deviceId = "dev-pendant")
    {
        await _queue.EnqueueEventAsync(new TelecareEvent(deviceId, Patient, type, Now, Now));
        return await RunAsync();
    }

    public Task<AlertCase?> ActiveAsync(string conditionKey) => Alerts.GetActiveAsync(Patient, conditionKey);

    public Task<IReadOnlyList<AlertCase>> AllAsync(string? conditionKey = null) => Alerts.ListAsync(new AlertQuery(Patient, conditionKey));
}
