using Telehealth.Contracts.Readings;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>
/// The semantics every <see cref="IReadingStore"/> must have (see its doc comments). Each subclass provides a fresh,
/// empty store per test; xunit creates a new instance of the class for every test.
/// </summary>
public abstract class ReadingStoreConformanceTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    protected const string Patient = "pat-ab12";
    protected const string OtherPatient = "pat-cd34";
    protected const string Device = "dev-xy34";

    private IReadingStore? _store;

    protected IReadingStore Store => _store ?? throw new InvalidOperationException("Store not created.");

    protected abstract Task<IReadingStore> CreateStoreAsync();

    protected virtual Task DeleteStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.InitializeAsync();
        // Initialising twice must be harmless: every service start does it.
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        (_store as IDisposable)?.Dispose();
        await DeleteStoreAsync();
    }

    protected static Reading At(int minute, double value = 72, VitalKind kind = VitalKind.HeartRate, string device = Device, string patient = Patient, int milliseconds = 0) =>
        new(device, patient, kind, value, T0.AddMinutes(minute).AddMilliseconds(milliseconds), T0.AddMinutes(minute).AddSeconds(3).AddMilliseconds(milliseconds + 7));

    private static IEnumerable<Reading> Minutes(int count, VitalKind kind = VitalKind.HeartRate, string device = Device, string patient = Patient) =>
        Enumerable.Range(0, count).Select(m => At(m, 60 + m, kind, device, patient));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(250)]
    public async Task Append_new_readings_returns_all_of_them_and_stores_all(int count)
    {
        var readings = Minutes(count).ToList();

        var added = await Store.AppendAsync(readings);

        Assert.Equal(readings, added);
        Assert.Equal(count, (await Store.QueryAsync(new ReadingQuery(Patient))).Count);
    }

    [Fact]
    public async Task Append_of_an_empty_batch_returns_nothing()
    {
        var added = await Store.AppendAsync([]);
        Assert.Empty(added);
        Assert.Empty(added.Conflicts);
        Assert.Empty(await Store.QueryAsync(new ReadingQuery(Patient)));
    }

    [Fact]
    public async Task Appending_the_same_batch_again_adds_nothing()
    {
        var readings = Minutes(12).ToList();
        await Store.AppendAsync(readings);

        var again = await Store.AppendAsync(readings);

        Assert.Empty(again);
        Assert.Empty(again.Conflicts);
        Assert.Equal(12, (await Store.QueryAsync(new ReadingQuery(Patient))).Count);
    }

    [Fact]
    public async Task A_repeat_inside_one_batch_counts_once_and_the_first_value_is_kept()
    {
        var first = At(1, value: 71);
        var repeat = At(1, value: 99);
        var batch = new[] { first, At(2), repeat, At(3), first };

        var added = await Store.AppendAsync(batch);

        Assert.Equal([first, At(2), At(3)], added);
        Assert.Equal([repeat], added.Conflicts);
        var stored = await Store.QueryAsync(new ReadingQuery(Patient));
        Assert.Equal([1, 2, 3], stored.Select(r => (int)(r.DeviceTime - T0).TotalMinutes));
        Assert.Equal(71, stored[0].Value);
    }

    [Fact]
    public async Task A_mixed_batch_returns_only_the_new_readings_in_input_order()
    {
        await Store.AppendAsync([At(2), At(4)]);

        var added = await Store.AppendAsync([At(5), At(2), At(1), At(4), At(3)]);

        Assert.Equal([At(5), At(1), At(3)], added);
        Assert.Equal(5, (await Store.QueryAsync(new ReadingQuery(Patient))).Count);
    }

    [Fact]
    public async Task A_stored_identity_with_a_different_value_is_a_conflict_not_new_and_does_not_overwrite()
    {
        await Store.AppendAsync([At(1, value: 36.6, kind: VitalKind.BodyTemperature)]);

        var added = await Store.AppendAsync([At(2, kind: VitalKind.BodyTemperature, value: 37), At(1, value: 39.9, kind: VitalKind.BodyTemperature), At(1, value: 36.6, kind: VitalKind.BodyTemperature)]);

        Assert.Equal([At(2, kind: VitalKind.BodyTemperature, value: 37)], added);
        // The identical repeat is a duplicate (in neither list); only the different value is a conflict.
        Assert.Equal([At(1, value: 39.9, kind: VitalKind.BodyTemperature)], added.Conflicts);
        Assert.Equal([36.6, 37], (await Store.QueryAsync(new ReadingQuery(Patient))).Select(r => r.Value));
    }

    [Fact]
    public async Task A_batch_of_many_devices_live_and_backlogged_finds_each_stored_identity_of_its_own_device_only()
    {
        // Five devices' live readings within a second of each other, a device whose id starts another's, and a backlog
        // over three days: each device's stored identities are found by their own device's question only.
        const int Day = 1440;
        var live = Enumerable.Range(0, 5).Select(d => At(3 * Day, 90 + d, VitalKind.Spo2, device: $"dev-{d}", milliseconds: 100 * d)).ToList();
        var backlog = new[] { At(0, 36.5, VitalKind.BodyTemperature, "dev-home"), At(Day, 36.9, VitalKind.BodyTemperature, "dev-home"), At(3 * Day, 37.2, VitalKind.BodyTemperature, "dev-home", milliseconds: 50) };
        Assert.Equal(8, (await Store.AppendAsync([.. live, .. backlog])).Count);

        var again = new[]
        {
            live[0],                                                            // duplicate
            At(3 * Day, 85, VitalKind.Spo2, device: "dev-1", milliseconds: 100), // conflict: dev-1 holds 91
            At(3 * Day, 90, VitalKind.Spo2, device: "dev-0x"),                   // new: dev-0's identity, another device
            At(3 * Day, 80, VitalKind.HeartRate, device: "dev-2", milliseconds: 200), // new: dev-2's time, another kind
            At(3 * Day, 93, VitalKind.Spo2, device: "dev-3", milliseconds: 301), // new: a millisecond later
            At(Day, 38.4, VitalKind.BodyTemperature, "dev-home"),                // conflict, two days back
            At(2 * Day, 37.0, VitalKind.BodyTemperature, "dev-home"),            // new, inside the backlog's span
            backlog[2],                                                          // duplicate
        };

        var added = await Store.AppendAsync(again);

        Assert.Equal([again[2], again[3], again[4], again[6]], added);
        Assert.Equal([again[1], again[5]], added.Conflicts);
        var stored = await Store.QueryAsync(new ReadingQuery(Patient));
        Assert.Equal(12, stored.Count);
        Assert.Equal(91, stored.Single(r => r.DeviceId == "dev-1").Value);
        Assert.Equal([36.5, 36.9, 37.0, 37.2], stored.Where(r => r.DeviceId == "dev-home").Select(r => r.Value));
    }

    [Fact]
    public async Task Identity_is_device_kind_and_time_so_other_kinds_and_devices_at_the_same_time_are_new()
    {
        var batch = new[]
        {
            At(1, 120, VitalKind.SystolicBp),
            At(1, 80, VitalKind.DiastolicBp),
            At(1, 120, VitalKind.SystolicBp, device: "dev-other"),
        };

        var added = await Store.AppendAsync(batch);

        Assert.Equal(batch, added);
        Assert.Equal(3, (await Store.QueryAsync(new ReadingQuery(Patient))).Count);
    }

    [Fact]
    public async Task Query_returns_oldest_first_whatever_the_append_order()
    {
        await Store.AppendAsync([At(3), At(1), At(4), At(0), At(2)]);

        var stored = await Store.QueryAsync(new ReadingQuery(Patient));

        Assert.Equal([0, 1, 2, 3, 4], stored.Select(r => (int)(r.DeviceTime - T0).TotalMinutes));
    }

    [Fact]
    public async Task Query_by_kind_returns_only_that_kind()
    {
        await Store.AppendAsync(Minutes(5, VitalKind.HeartRate).Concat(Minutes(3, VitalKind.Spo2)).Concat(Minutes(2, VitalKind.BodyWeight)).ToList());

        Assert.Equal(5, (await Store.QueryAsync(new ReadingQuery(Patient, VitalKind.HeartRate))).Count);
        var spo2 = await Store.QueryAsync(new ReadingQuery(Patient, VitalKind.Spo2));
        Assert.Equal(3, spo2.Count);
        Assert.All(spo2, r => Assert.Equal(VitalKind.Spo2, r.Kind));
        Assert.Empty(await Store.QueryAsync(new ReadingQuery(Patient, VitalKind.BloodGlucose)));
        Assert.Equal(10, (await Store.QueryAsync(new ReadingQuery(Patient))).Count);
    }

    /// <summary>Readings at minutes 0..9; bounds in milliseconds from T0 (null = open).</summary>
    [Theory]
    [InlineData(null, null, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(120_000L, 300_000L, new[] { 2, 3, 4 })]
    [InlineData(120_001L, 300_000L, new[] { 3, 4 })]
    [InlineData(119_999L, 300_001L, new[] { 2, 3, 4, 5 })]
    [InlineData(null, 180_000L, new[] { 0, 1, 2 })]
    [InlineData(420_000L, null, new[] { 7, 8, 9 })]
    [InlineData(300_000L, 300_000L, new int[0])]
    [InlineData(600_000L, null, new int[0])]
    public async Task Query_time_range_is_from_inclusive_to_exclusive(long? fromMs, long? toMs, int[] expectedMinutes)
    {
        await Store.AppendAsync(Minutes(10).ToList());
        DateTimeOffset? from = fromMs is null ? null : T0.AddMilliseconds(fromMs.Value);
        DateTimeOffset? to = toMs is null ? null : T0.AddMilliseconds(toMs.Value);

        var stored = await Store.QueryAsync(new ReadingQuery(Patient, From: from, To: to));

        Assert.Equal(expectedMinutes, stored.Select(r => (int)(r.DeviceTime - T0).TotalMinutes));
    }

    [Theory]
    [InlineData(1, new[] { 0 })]
    [InlineData(3, new[] { 0, 1, 2 })]
    [InlineData(10, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(50, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    public async Task Query_limit_returns_the_oldest_readings(int limit, int[] expectedMinutes)
    {
        await Store.AppendAsync(Minutes(10).Reverse().ToList());

        var stored = await Store.QueryAsync(new ReadingQuery(Patient, Limit: limit));

        Assert.Equal(expectedMinutes, stored.Select(r => (int)(r.DeviceTime - T0).TotalMinutes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Query_limit_below_one_is_refused(int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.QueryAsync(new ReadingQuery(Patient, Limit: limit)));
    }

    [Fact]
    public async Task Query_combines_kind_range_and_limit()
    {
        await Store.AppendAsync(Minutes(10, VitalKind.Spo2).Concat(Minutes(10, VitalKind.HeartRate)).ToList());

        var stored = await Store.QueryAsync(new ReadingQuery(Patient, VitalKind.Spo2, T0.AddMinutes(2), T0.AddMinutes(8), Limit: 4));

        Assert.Equal([2, 3, 4, 5], stored.Select(r => (int)(r.DeviceTime - T0).TotalMinutes));
        Assert.All(stored, r => Assert.Equal(VitalKind.Spo2, r.Kind));
    }

    [Fact]
    public async Task Latest_by_kind_picks_the_greatest_device_time_of_each_kind()
    {
        await Store.AppendAsync(
        [
            At(1, 70), At(5, 75), At(3, 73),
            At(2, 97, VitalKind.Spo2), At(4, 95, VitalKind.Spo2),
            At(9, 100, patient: OtherPatient, device: "dev-other"),
        ]);
        // A late-arriving older reading must not replace the latest.
        await Store.AppendAsync([At(0, 60)]);

        var latest = await Store.LatestByKindAsync(Patient);

        Assert.Equal(2, latest.Count);
        Assert.Equal(At(5, 75), latest[VitalKind.HeartRate]);
        Assert.Equal(At(4, 95, VitalKind.Spo2), latest[VitalKind.Spo2]);
    }

    [Fact]
    public async Task Latest_by_kind_of_a_patient_without_readings_is_empty()
    {
        await Store.AppendAsync([At(1)]);

        Assert.Empty(await Store.LatestByKindAsync("pat-none"));
    }

    [Fact]
    public async Task Patients_do_not_see_each_others_readings()
    {
        await Store.AppendAsync(Minutes(4).Concat(Minutes(6, device: "dev-zz99", patient: OtherPatient)).ToList());

        var mine = await Store.QueryAsync(new ReadingQuery(Patient));
        var theirs = await Store.QueryAsync(new ReadingQuery(OtherPatient));

        Assert.Equal(4, mine.Count);
        Assert.All(mine, r => Assert.Equal((Patient, Device), (r.PatientId, r.DeviceId)));
        Assert.Equal(6, theirs.Count);
        Assert.All(theirs, r => Assert.Equal((OtherPatient, "dev-zz99"), (r.PatientId, r.DeviceId)));
        Assert.Equal([VitalKind.HeartRate], (await Store.LatestByKindAsync(OtherPatient)).Keys);
    }

    [Theory]
    [InlineData(VitalKind.BodyTemperature, 36.65, 0)]
    [InlineData(VitalKind.Spo2, 98.0, 1)]
    [InlineData(VitalKind.SystolicBp, 120, 999)]
    [InlineData(VitalKind.BloodGlucose, 5.55, 123)]
    [InlineData(VitalKind.BodyWeight, 82.30000000000001, 7)]
    [InlineData(VitalKind.RespiratoryRate, 0.1, 500)]
    [InlineData(VitalKind.HeartRate, 1e-7, 42)]
    public async Task Values_and_times_round_trip_exactly(VitalKind kind, double value, int milliseconds)
    {
        var reading = At(1, value, kind, milliseconds: milliseconds);
        await Store.AppendAsync([reading]);

        var stored = Assert.Single(await Store.QueryAsync(new ReadingQuery(Patient)));

        Assert.Equal(reading, stored);
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(stored.Value));
        Assert.Equal(reading.DeviceTime.ToUnixTimeMilliseconds(), stored.DeviceTime.ToUnixTimeMilliseconds());
        Assert.Equal(TimeSpan.Zero, stored.DeviceTime.Offset);
    }

    [Theory]
    [InlineData("dev 1", "pat 1")]
    [InlineData("dev,1", "pat,=1")]
    [InlineData("dev=1", "pat=1")]
    [InlineData("dev's \"1\"", "pat\\1")]
    public async Task Ids_with_separators_and_quotes_round_trip(string deviceId, string patientId)
    {
        var reading = At(1, 88, device: deviceId, patient: patientId);

        Assert.Equal([reading], await Store.AppendAsync([reading]));
        Assert.Empty(await Store.AppendAsync([reading]));

        Assert.Equal([reading], await Store.QueryAsync(new ReadingQuery(patientId)));
        Assert.Equal(reading, (await Store.LatestByKindAsync(patientId))[VitalKind.HeartRate]);
    }
    private static ReadingSummaryQuery Summary(int fromMinute, int toMinute, int intervalMinutes, VitalKind kind = VitalKind.HeartRate, string patient = Patient) =>
        new(patient, kind, T0.AddMinutes(fromMinute), T0.AddMinutes(toMinute), TimeSpan.FromMinutes(intervalMinutes));

    [Fact]
    public async Task Summary_gives_min_mean_max_and_count_per_interval_oldest_first()
    {
        // Values 60..69 at minutes 0..9, appended newest first.
        await Store.AppendAsync(Minutes(10).Reverse().ToList());

        var buckets = await Store.SummarizeAsync(Summary(0, 10, 5));

        Assert.Equal([new ReadingBucket(T0, 60, 62, 64, 5), new ReadingBucket(T0.AddMinutes(5), 65, 67, 69, 5)], buckets);
    }

    [Fact]
    public async Task Summary_buckets_align_to_the_interval_not_to_from_and_to_is_exclusive()
    {
        await Store.AppendAsync(Minutes(10).ToList());

        // From minute 2 to minute 8: the first bucket still starts at minute 0 (epoch-aligned) and holds 2, 3, 4.
        var buckets = await Store.SummarizeAsync(Summary(2, 8, 5));

        Assert.Equal([new ReadingBucket(T0, 62, 63, 64, 3), new ReadingBucket(T0.AddMinutes(5), 65, 66, 67, 3)], buckets);
    }

    [Fact]
    public async Task Summary_leaves_out_empty_intervals_and_merges_the_patients_devices()
    {
        await Store.AppendAsync(
        [
            At(0, 70), At(1, 90, device: "dev-other"), At(30, 80),
            At(2, 99, VitalKind.Spo2), At(3, 40, patient: OtherPatient, device: "dev-zz99"),
        ]);

        var buckets = await Store.SummarizeAsync(Summary(0, 60, 10));

        Assert.Equal([new ReadingBucket(T0, 70, 80, 90, 2), new ReadingBucket(T0.AddMinutes(30), 80, 80, 80, 1)], buckets);
        Assert.Empty(await Store.SummarizeAsync(Summary(0, 60, 10, VitalKind.BodyWeight)));
        Assert.Equal([new ReadingBucket(T0, 40, 40, 40, 1)], await Store.SummarizeAsync(Summary(0, 60, 10, patient: OtherPatient)));
    }

    [Fact]
    public async Task Summary_means_are_exact_for_fractional_values()
    {
        await Store.AppendAsync([At(0, 36.5, VitalKind.BodyTemperature), At(1, 37.25, VitalKind.BodyTemperature), At(2, 38.0, VitalKind.BodyTemperature)]);

        var bucket = Assert.Single(await Store.SummarizeAsync(Summary(0, 60, 60, VitalKind.BodyTemperature)));

        Assert.Equal(new ReadingBucket(T0, 36.5, (36.5 + 37.25 + 38.0) / 3, 38.0, 3), bucket);
    }

    [Theory]
    [InlineData(0, 10, 0)]
    [InlineData(10, 10, 1)]
    [InlineData(10, 0, 1)]
    public async Task Summaries_that_cannot_be_answered_are_refused(int fromMinute, int toMinute, int intervalMinutes)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SummarizeAsync(Summary(fromMinute, toMinute, intervalMinutes)));
    }

    [Fact]
    public async Task Summaries_spanning_too_many_intervals_are_refused()
    {
        var query = new ReadingSummaryQuery(Patient, VitalKind.HeartRate, T0, T0.AddDays(365), TimeSpan.FromMinutes(1));

        await Assert.ThrowsAsync<ArgumentException>(() => Store.SummarizeAsync(query));
    }
}
