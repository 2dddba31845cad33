using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Evaluation;
using Telehealth.Contracts.Diagnostics;
using Telehealth.CareRecord.Evaluation;
using Telehealth.Contracts.Waking;

namespace Telehealth.Alerts.Rules;

/// <summary>
/// Turns due rule wake-ups into timer items of the evaluation queue, so time-driven evaluation (a silent device, a
/// duration that completes, NEWS2 readings ageing) runs per patient, in order, through the same worker as data. The
/// wake-ups are rows in the database: after a restart the scheduler fires every one that came due while the
/// platform was down. It sleeps until the earliest wake-up, or until an evaluation records an earlier one.
/// </summary>
public sealed partial class RuleWakeupScheduler(
    IRuleStateStore states,
    RuleWakeupSignal wakeups,
    EvaluationSignal evaluation,
    IOptions<EvaluationOptions> options,
    TimeProvider time,
    ILogger<RuleWakeupScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = wakeups.Signal.Next;
            var settings = options.Value;
            TimeSpan sleep;
            try
            {
                var now = time.GetUtcNow();
                var fired = await states.FireDueAsync(now, stoppingToken);
                if (fired > 0)
                {
                    CrashPoints.Reach(CrashPoints.AfterTimerFired);
                    LogFired(fired);
                    evaluation.Notify();
                }
                var next = await states.NextWakeAsync(stoppingToken);
                // Never sleep past the timer poll: another instance may have recorded an earlier wake-up.
                sleep = next is { } at ? Clamp(at - time.GetUtcNow(), TimeSpan.Zero, settings.TimerPollInterval) : settings.TimerPollInterval;
                failures = 0;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                LogFailed(exception, failures);
                sleep = Clamp(settings.RetryDelay * Math.Pow(2, Math.Min(failures - 1, 10)), settings.RetryDelay, settings.MaxRetryDelay);
            }
            if (sleep > TimeSpan.Zero)
            {
                await WakeSignal.WaitAsync(woken, sleep, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fired {Count} rule wake-up(s) into the evaluation queue")]
    private partial void LogFired(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Firing rule wake-ups failed (failure {Failures}); they stay stored and are retried")]
    private partial void LogFailed(Exception exception, int failures);
}
