using System.ComponentModel.DataAnnotations;

namespace Telehealth.Alerts.Evaluation;

/// <summary>The evaluation worker, the rule wake-up scheduler and the alert event followers, bound from section "Evaluation" and validated at start.</summary>
public sealed class EvaluationOptions
{
    public const string SectionName = "Evaluation";

    /// <summary>How often the worker looks for due items when nothing woke it (work queued by another instance, retries).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Evaluation:PollInterval must be between 50 ms and 1 minute.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest the rule wake-up scheduler sleeps without looking at the stored wake-ups (it wakes at once for the ones
    /// recorded in this process; this bounds the delay for ones recorded by another instance).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Evaluation:TimerPollInterval must be between 50 ms and 10 minutes.")]
    public TimeSpan TimerPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most due items taken in one pass (all patients together).</summary>
    [Range(1, 100_000, ErrorMessage = "Evaluation:MaxItemsPerPass must be between 1 and 100000.")]
    public int MaxItemsPerPass { get; set; } = 5_000;

    /// <summary>
    /// Under load, passes come at most this often: after a claim of at least <see cref="BusyPassItems"/> items, the next
    /// claim waits until this long after it began. Each pass then carries more of every person's readings, and a
    /// person's decision costs about as much for eight readings as for one (it reads their whole record), so the same
    /// work needs fewer decisions. Only sustained load is spaced: the second of two such claims in a row. A light load
    /// (claims smaller than that), a burst (one such claim) and a backlog (a claim of <see cref="MaxItemsPerPass"/>:
    /// more is waiting) are never held back; under sustained load an alert can wait up to this much longer.
    /// 300 ms: against 100 ms, a third to a half as many decisions per 100,000 readings in the split bench, and a
    /// quarter less CPU per reading in PostgreSQL and in the instances, whose decisions each make about a dozen round
    /// trips to it (bench/RESULTS.md). Zero turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Evaluation:BusyPassSpacing must be between 0 and 1 second.")]
    public TimeSpan BusyPassSpacing { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How long nothing may be queued in this process while a claim is held back by <see cref="BusyPassSpacing"/> before
    /// the load counts as stopped and the claim is made at once: holding on would gather nothing more, only make the last
    /// alerts of a busy spell later. Under load ingest queues work every few milliseconds. Zero: always wait out the
    /// spacing, as until 28 November.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Evaluation:BusyQuietGap must be between 0 and 1 second.")]
    public TimeSpan BusyQuietGap { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How many items a claim must bring for the next to wait out <see cref="BusyPassSpacing"/>: a floor, so that two items
    /// a moment apart do not count as a high rate; the rate (<see cref="BusyItemsPerSecond"/>) says whether it is load.
    /// 50, not 200 as until 27 November: at 8,000-10,000 readings/s the pacing was bistable. Spaced, passes carried
    /// hundreds of items; unspaced, passes came every few milliseconds with fewer than 200 each, so they never counted
    /// as busy, made two to three times the decisions and kept the rate down where they stayed small. The platform's
    /// CPU per reading in the bench's connections phase switched between 60-85 and 125-195 us from one round to the
    /// next; with 50 (and the rate over a window, which a lower floor needs: <see cref="BusyItemsPerSecond"/>), every
    /// round after the first was at 58-95 (bench/RESULTS.md).
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Evaluation:BusyPassItems must be between 1 and 100000.")]
    public int BusyPassItems { get; set; } = 50;

    /// <summary>
    /// The arrival rate a claim must also show for the next to wait out <see cref="BusyPassSpacing"/>: the items claimed
    /// over about the last spacing (since the newest claim at least that old), per second. Until 27 November it was one
    /// claim's items over the time since the claim before, which jumped with every burst (two ingest batches a few
    /// milliseconds apart); with the floor at 50 that spaced passes at 2,000 readings/s (publish → dashboard max 242-258
    /// ms against 12-18 ms over the window). A moderate load whose passes were held up once (a collection, a WAL
    /// restart) brings one large claim at its own rate, and spacing the next would only make its alerts later: at 2,000
    /// readings/s a claim of 200 after a 100 ms hold-up was spaced, and publish → dashboard p99 rose to 99 ms
    /// (bench/RESULTS.md). Sustained load far above it (passes every 20 ms carrying 400 items) is still spaced.
    /// </summary>
    [Range(1, 10_000_000, ErrorMessage = "Evaluation:BusyItemsPerSecond must be between 1 and 10000000.")]
    public int BusyItemsPerSecond { get; set; } = 5_000;

    /// <summary>
    /// How many patients of a pass are decided at once (reading their care record and running their rules); the pass is
    /// still recorded in one transaction and each patient's items in queue order. Defaults to the number of cores.
    /// </summary>
    [Range(1, 64, ErrorMessage = "Evaluation:Parallelism must be between 1 and 64.")]
    public int Parallelism { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 64);

    /// <summary>First wait after a failed evaluation; doubled per attempt up to <see cref="MaxRetryDelay"/>. It never gives up.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Evaluation:RetryDelay must be between 10 ms and 10 minutes.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Evaluation:MaxRetryDelay must be between 10 ms and 1 hour.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long evaluated items are kept. Longer than the broker keeps an offline session (7 days), so a very late
    /// redelivery still finds its item done and is not evaluated again.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Evaluation:DoneRetention must be between 1 and 365 days.")]
    public TimeSpan DoneRetention { get; set; } = TimeSpan.FromDays(8);

    /// <summary>A queue item waiting longer than this makes readiness fail: evaluation is not keeping up or is stuck.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Evaluation:StallAfter must be between 5 seconds and 1 day.")]
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(2);
}
