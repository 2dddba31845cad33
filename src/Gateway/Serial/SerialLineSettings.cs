using System.IO.Ports;

namespace Telehealth.Gateway.Serial;

/// <summary>How a format's port is set up (a pty ignores these; a real USB-serial adapter does not).</summary>
public sealed record SerialLineSettings(int BaudRate, Parity Parity, int DataBits, StopBits StopBits);
