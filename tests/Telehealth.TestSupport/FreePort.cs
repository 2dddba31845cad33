using System.Net;
using System.Net.Sockets;

namespace Telehealth.TestSupport;

/// <summary>Loopback ports for test servers, so parallel test classes never collide on a fixed port.</summary>
public static class FreePort
{
    /// <summary>
    /// A port the OS just handed out on 127.0.0.1 (bind to port 0, read it, release it). Another process could take
    /// it before the server binds; fixtures retry with a new port when their server fails to start.
    /// </summary>
    public static int Next()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
