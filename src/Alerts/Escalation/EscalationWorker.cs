using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Instances;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Caseload;
using Telehealth.Contracts.Waking;

namespace Telehealth.Alerts.Escalation;

/// <summary>
/// Drives the core's <see cref="AlertEscalator"/> on the durable timers (<see cref="IEscalationTimerStore"/>): when an
/// alert's timer is due it reads the alert, its event log and the team's rota, records each step due now as an
/// <c>escalated</c> event (actor system, subject the person or partner, reason why), and sets the timer to the next
/// step, or removes it once the alert is no longer open. Notifying is the <see cref="EscalationFollower"/>'s part: it
/// queues a notification for every <c>escalated</c> event it reads. Steps are appended only if nothing happened to
/// the alert since it was read, so an acknowledgement racing a step always wins. The response policy is the engine's,
/// so deadlines set at raising and steps timed here never disagree. With several instances on one care record, only the
/// instance holding the work lease <see cref="LeaseName"/> looks at the timers (<see cref="WorkLeases"/>).
/// </summary>
public sealed partial class EscalationWorker(
    IEscalationTimerStore timers,
    IAlertStore alerts,
    IAlertEventLog log,
    IAlertEventAppender appender,
    IPatientRepository patients,
    ITeamRotaStore rotas,
    AlertEngine engine,
    IOptions<EscalationOptions> options,
    WorkLeases leases,
    TimeProvider time,
    ILogger<EscalationWorker> logger) : BackgroundService
{
    private const int ConflictRetries = 5;

    /// <summary>The work lease of the escalation timers.</summary>
    public const string LeaseName = "escalation-timers";

    private readonly EscalationOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leases.RunWhileHeldAsync(LeaseName, RunAsync, stoppingToken);

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = timers.Changed.Next;
            var wait = _options.PollInterval;
            try
            {
                var due = await timers.DueAsync(time.GetUtcNow(), _options.BatchSize, stoppingToken);
                foreach (var timer in due)
                {
                    await EscalateAsync(timer, stoppingToken);
                }
                if (due.Count == _options.BatchSize)
                {
                    continue;
                }
                if (await timers.NextDueAsync(stoppingToken) is { } next)
                {
                    var until = next - time.GetUtcNow();
                    wait = until < wait ? until : wait;
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(exception);
            }
            if (wait > TimeSpan.Zero)
            {
                await WakeSignal.WaitAsync(wake, wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One look at one alert: record what is due, then set the next look.</summary>
    public async Task EscalateAsync(EscalationTimer timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var stored = await alerts.GetAsync(timer.AlertId, cancellationToken);
            if (stored is null || stored.Status != AlertCaseStatus.Open)
            {
                await timers.CompleteAsync(timer, next: null, cancellationToken);
                return;
            }
            // The log keeps event times in whole milliseconds, the alert row keeps the clock's ticks: compare like with
            // like, or the step recorded at the very moment of opening would look older than the opening and go again.
            var alert = stored with { OpenedAt = ToMilliseconds(stored.OpenedAt), RespondBy = ToMilliseconds(stored.RespondBy) };
            var rota = await RotaOfAsync(alert, cancellationToken);
            if (rota is null)
            {
                LogNoRota(alert.Id, alert.PatientId);
                await timers.CompleteAsync(timer, now + _options.NoRotaRecheck, cancellationToken);
                return;
            }
            var records = await log.ForAlertAsync(alert.Id, cancellationToken);
            var events = records.Select(r => r.Event).ToList();
            var decision = AlertEscalator.Decide(alert, events, rota.ToDutyRota(), engine.Policy, now);
            if (decision.DueNow.Count > 0)
            {
                var steps = decision.DueNow.SelectMany(step => AlertCaseLifecycle.RecordEscalation(alert, step, now).Events).ToList();
                var lastSequence = records.Count > 0 ? records[^1].Sequence : 0;
                var appended = await appender.AppendAsync(alert.Id, steps, lastSequence, cancellationToken);
                if (appended.Count == 0)
                {
                    // Something happened to the alert since it was read (acknowledged, re-opened, a delivery logged): decide again.
                    if (attempt < ConflictRetries)
                    {
                        continue;
                    }
                    await timers.CompleteAsync(timer, now, cancellationToken);
                    return;
                }
                foreach (var step in decision.DueNow)
                {
                    LogEscalated(alert.Id, step.Number, step.Kind, step.Target);
                }
            }
            await timers.CompleteAsync(timer, decision.NextAt, cancellationToken);
            return;
        }
    }

    private static DateTimeOffset ToMilliseconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private async Task<TeamRota?> RotaOfAsync(AlertCase alert, CancellationToken cancellationToken) =>
        await patients.GetAsync(alert.PatientId, cancellationToken) is { } patient
            ? await rotas.GetAsync(patient.TeamId, cancellationToken)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} escalated: step {Step} to {Kind} {Target}")]
    private partial void LogEscalated(Guid alertId, int step, EscalationTargetKind kind, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} of patient {PatientId} is open but the team has no duty rota: nobody can be notified away from the dashboard")]
    private partial void LogNoRota(Guid alertId, string patientId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Escalation pass failed; retrying")]
    private partial void LogPassFailed(Exception exception);
}
