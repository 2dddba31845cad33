using Telehealth.Gateway.Serial.Forwarding;

namespace Telehealth.Tests.Serial;

public sealed class ReadingSpoolTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "spool-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Messages_leave_in_order_and_only_when_acknowledged()
    {
        using var spool = ReadingSpool.Open(_directory, "dev-a");
        var first = spool.Append("t/1", "one");
        var second = spool.Append("t/2", "two");

        Assert.Equal(2, spool.PendingCount);
        Assert.Equal(first, spool.Peek());
        spool.Acknowledge(first.Sequence);
        Assert.Equal(second, spool.Peek());
        Assert.Equal(second.Sequence, first.Sequence + 1);
        Assert.Throws<InvalidOperationException>(() => spool.Acknowledge(first.Sequence));
        spool.Acknowledge(second.Sequence);
        Assert.Null(spool.Peek());
        Assert.Equal(0, new FileInfo(Path.Combine(_directory, "dev-a.spool.jsonl")).Length);
    }

    [Fact]
    public void What_was_not_acknowledged_survives_a_restart_in_order_and_numbering_continues()
    {
        long lastSequence;
        using (var spool = ReadingSpool.Open(_directory, "dev-a"))
        {
            var first = spool.Append("t", "one");
            spool.Append("t", "two");
            lastSequence = spool.Append("t", "three").Sequence;
            spool.Acknowledge(first.Sequence);
        }

        using var reopened = ReadingSpool.Open(_directory, "dev-a");

        Assert.Equal(2, reopened.PendingCount);
        Assert.Equal("two", reopened.Peek()!.Payload);
        Assert.Equal(lastSequence + 1, reopened.Append("t", "four").Sequence);
    }

    [Fact]
    public void Numbering_continues_after_the_spool_was_emptied()
    {
        long sequence;
        using (var spool = ReadingSpool.Open(_directory, "dev-a"))
        {
            sequence = spool.Append("t", "one").Sequence;
            spool.Acknowledge(sequence);
        }

        using var reopened = ReadingSpool.Open(_directory, "dev-a");

        Assert.Equal(0, reopened.PendingCount);
        Assert.Equal(sequence + 1, reopened.Append("t", "two").Sequence);
    }

    [Fact]
    public void A_torn_last_line_is_skipped_and_counted_and_the_rest_is_kept()
    {
        using (var spool = ReadingSpool.Open(_directory, "dev-a"))
        {
            spool.Append("t", "one");
        }
        File.AppendAllText(Path.Combine(_directory, "dev-a.spool.jsonl"), "{\"seq\":2,\"topic\":\"t\",\"pay");

        using var reopened = ReadingSpool.Open(_directory, "dev-a");
        reopened.Append("t", "three");

        Assert.Equal(1, reopened.UnreadableLines);
        Assert.Equal(2, reopened.PendingCount);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_directory, "dev-a.spool.jsonl")).Length);
    }

    [Fact]
    public void Two_bridges_cannot_share_one_device_spool()
    {
        using var spool = ReadingSpool.Open(_directory, "dev-a");

        Assert.ThrowsAny<IOException>(() => ReadingSpool.Open(_directory, "dev-a"));
        using var other = ReadingSpool.Open(_directory, "dev-b");
    }
}
