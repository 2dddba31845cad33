
using Telehealth.CareRecord.Devices;

namespace Telehealth.Tests.Devices;

public sealed class DeviceAssignmentsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    // Ada had the device from its registration (open start) until T0+2h; Bert from T0+2h until it was collected at
    // T0+5h; Ada again from T0+8h, still.
    private static readonly DeviceAssignments History = new(
    [
        new DeviceAssignment("dev-a", "pat-ada", null, T0.AddHours(2)),
        new DeviceAssignment("dev-a", "pat-bert", T0.AddHours(2), T0.AddHours(5)),
        new DeviceAssignment("dev-a", "pat-ada", T0.AddHours(8), null),
    ]);

    [Theory]
    [InlineData(-24 * 60, "pat-ada")] // before registration: the first person
    [InlineData(0, "pat-ada")]
    [InlineData(119, "pat-ada")]
    [InlineData(120, "pat-bert")] // the moment of reassignment belongs to the new person
    [InlineData(299, "pat-bert")]
    [InlineData(300, null)] // collected: nobody
    [InlineData(479, null)]
    [InlineData(480, "pat-ada")]
    [InlineData(60 * 24 * 30, "pat-ada")]
    public void A_reading_belongs_to_whoever_had_the_device_at_its_own_time(int minutesAfterT0, string? expected)
    {
        Assert.Equal(expected, History.PatientAt(T0.AddMinutes(minutesAfterT0)));
    }

    [Fact]
    public void A_device_never_assigned_belongs_to_nobody()
    {
        Assert.Null(new DeviceAssignments([]).PatientAt(T0));
    }
}
