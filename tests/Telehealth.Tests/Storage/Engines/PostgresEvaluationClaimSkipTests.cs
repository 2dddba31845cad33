using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Postgres;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>
/// A PostgreSQL claim that skips the people the caller's running passes hold leaves their leases as the claim that
/// took them left them (neither extended nor widened), so the running pass's commit ends the lease and another instance
/// may take the person's later items, in queue order; and the skipped people do not count among the people waiting.
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresEvaluationClaimSkipTests(PostgresStoreFixture fixture) : StoreSuite(new PostgresStoreEngine(fixture))
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);

    protected override TimeProvider Clock => _clock;

    [Fact]
    public async Task A_skipped_persons_lease_is_neither_extended_nor_widened_so_the_running_pass_commit_frees_them_for_another_instance()
    {
        var queueA = (PostgresEvaluationQueue)Get<IEvaluationQueue>();
        await using var other = await Engine.OpenAnotherAsync(Clock);
        var queueB = (PostgresEvaluationQueue)other.GetRequiredService<IEvaluationQueue>();
        await queueA.EnqueueReadingsAsync([Reading("pat-a", 0), Reading("pat-a", 1)]);
        var running = await queueA.ClaimAsync(100, Start, []);
        Assert.Equal(["pat-a", "pat-a"], running.Select(item => item.PatientId));
        var leaseUntil = (Start + PostgresEvaluationQueue.DefaultLeaseDuration).ToUnixTimeMilliseconds();
        var leaseOfA = new[] { "pat-a", queueA.Owner, Text(leaseUntil), Text(PostgresEvaluationQueue.RowOf(running[1].Sequence)) };
        Assert.Equal([leaseOfA], await LeasesAsync());
        await queueA.EnqueueReadingsAsync([Reading("pat-b", 2), Reading("pat-a", 3), Reading("pat-c", 4)]);

        // Beside the running pass, 30 s later: pat-a is skipped, and their lease stays as the first claim left it.
        var beside = await queueA.ClaimAsync(100, Start.AddSeconds(30), ["pat-a"]);

        Assert.Equal(["pat-b", "pat-c"], beside.Select(item => item.PatientId));
        var besideUntil = Text((Start.AddSeconds(30) + PostgresEvaluationQueue.DefaultLeaseDuration).ToUnixTimeMilliseconds());
        Assert.Equal(
            [leaseOfA, ["pat-b", queueA.Owner, besideUntil, Text(PostgresEvaluationQueue.RowOf(beside[0].Sequence))], ["pat-c", queueA.Owner, besideUntil, Text(PostgresEvaluationQueue.RowOf(beside[1].Sequence))]],
            await LeasesAsync());
        Assert.Empty(await queueB.ClaimAsync(100, Start.AddSeconds(31), []));

        // The running pass commits: nothing it claimed is left undone, so its lease ends with the commit (had the claim
        // beside it widened the lease to pat-a's later item, the lease would have stayed and held pat-a from B).
        await Get<IAlertStore>().CommitAsync(new AlertCommit("pat-a", [], [.. running.Select(item => item.Sequence)]));
        Assert.Equal(["pat-b", "pat-c"], (await LeasesAsync()).Select(row => row[0]));

        var taken = Assert.Single(await queueB.ClaimAsync(100, Start.AddSeconds(32), []));
        Assert.Equal(("pat-a", 3), (taken.PatientId, (int)(taken.Reading!.DeviceTime - Start).TotalSeconds));
        Assert.True(taken.Sequence > running[1].Sequence);
        Assert.Equal(["pat-a", queueB.Owner], (await LeasesAsync())[0][..2]);
    }

    [Fact]
    public async Task Skipped_people_do_not_count_among_those_waiting_so_fifteen_free_of_twenty_are_claimed_whole()
    {
        var queue = Get<IEvaluationQueue>();
        var people = Enumerable.Range(0, 20).Select(i => $"pat-{i:00}").ToList();
        foreach (var person in people)
        {
            await queue.EnqueueReadingsAsync([Reading(person, 0)]);
        }

        // Twenty wait, five of them held by the caller: fifteen is below ShareFromPeople, so the claim takes all fifteen
        // rather than half of twenty.
        var claimed = await queue.ClaimAsync(1_000, Start, people.Take(5).ToList());

        Assert.Equal(people.Skip(5), claimed.Select(item => item.PatientId));
        Assert.Equal(people.Skip(5), (await LeasesAsync()).Select(row => row[0]));
    }

    private async Task<List<string[]>> LeasesAsync()
    {
        await using var connection = await Get<PostgresDatabase>().OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT patient_id, owner, lease_until_ms::text, claimed_through::text FROM evaluation_leases ORDER BY patient_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)]);
        }
        return rows;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Reading Reading(string patientId, int seconds) =>
        new("dev-" + patientId, patientId, VitalKind.HeartRate, 60 + seconds, Start.AddSeconds(seconds), Start.AddSeconds(seconds));
}
