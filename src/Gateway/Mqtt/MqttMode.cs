namespace Telehealth.Gateway.Mqtt;

public enum MqttMode
{
    Embedded,
    External,
}
