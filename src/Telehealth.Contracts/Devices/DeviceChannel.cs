namespace Telehealth.Contracts.Devices;

public enum DeviceChannel
{
    Readings,
    Events,
    Status,
}
