using System.Diagnostics;
using Telehealth.Alerts.Instances;

namespace Telehealth.Tests.Alerts;

/// <summary>
/// <see cref="InstanceIdentity.HasDiedHere"/> with real processes: only a holder from this boot and pid namespace whose
/// process is gone (or whose pid now belongs to another process) is dead; everything else is never judged.
/// </summary>
public sealed class InstanceIdentityTests
{
    [Fact]
    public async Task A_holder_is_dead_here_only_when_its_process_on_this_machine_has_ended()
    {
        var us = new InstanceIdentity();
        using var child = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var childHolder = InstanceIdentity.ForProcess(child.Id).Id;

        Assert.False(us.HasDiedHere(us.Id));
        Assert.False(us.HasDiedHere(new InstanceIdentity().Id)); // another host in this process
        Assert.False(us.HasDiedHere(childHolder));

        child.Kill();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(us.HasDiedHere(childHolder));
    }

    [Fact]
    public void A_living_pid_with_another_start_time_is_a_reused_pid_so_its_holder_is_dead()
    {
        var us = new InstanceIdentity();
        var (prefix, place, start) = Split(us.Id);
        Assert.True(us.HasDiedHere($"{prefix}@{place}.{start + 1}"));
        Assert.False(us.HasDiedHere($"{prefix}@{place}.{start}"));
    }

    [Theory]
    [InlineData("another place")]
    [InlineData("older id")]
    [InlineData("no start")]
    [InlineData("not a pid")]
    [InlineData("empty")]
    public void A_holder_that_does_not_say_it_ran_here_is_never_judged_dead(string holder)
    {
        var us = new InstanceIdentity();
        var (_, place, start) = Split(us.Id);
        var gonePid = int.MaxValue; // above pid_max: no such process can exist here
        var id = holder switch
        {
            "another place" => $"elsewhere:{gonePid}:0badf00d@{new string('0', place.Length)}.{start}",
            "older id" => $"{Environment.MachineName}:{gonePid}:0badf00d",
            "no start" => $"{Environment.MachineName}:{gonePid}:0badf00d@{place}",
            "not a pid" => $"{Environment.MachineName}:x{gonePid}:0badf00d@{place}.{start}",
            _ => "",
        };
        Assert.False(us.HasDiedHere(id));
        // The same holder with this place and a pid that cannot exist is dead: the difference above is what saved it.
        Assert.True(us.HasDiedHere($"{Environment.MachineName}:{gonePid}:0badf00d@{place}.{start}"));
    }

    private static (string Prefix, string Place, long Start) Split(string id)
    {
        var at = id.LastIndexOf('@');
        Assert.True(at > 0, $"'{id}' says where it runs");
        var where = id[(at + 1)..].Split('.');
        return (id[..at], where[0], long.Parse(where[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
