using System.Net.Sockets;
using System.Text.Json;
using MimeKit;
using Xunit;

namespace Telehealth.TestSupport;

/// <summary>
/// A real SMTP server for a test class: Debian's aiosmtpd (python3-aiosmtpd) run by /usr/bin/python3 with
/// smtp_sink.py, on a free 127.0.0.1 port, writing each accepted message to its own folder. Faults are injected
/// through files in that folder (a recipient refused with 550, the next N messages answered 451).
/// </summary>
public sealed class SmtpTestServer : IAsyncLifetime
{
    public const string PythonPath = "/usr/bin/python3";
    private const string InstallHint = "apt-get install -y python3-aiosmtpd";
    private const int StartAttempts = 3;

    private ManagedProcess? _process;
    private string? _folder;

    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    public string Folder => _folder ?? throw new InvalidOperationException("The SMTP server has not been started.");

    public string OutputTail => _process?.OutputTail ?? "";

    public async Task InitializeAsync()
    {
        ServerStartup.RequireExecutable(PythonPath, InstallHint);
        var script = Path.Combine(AppContext.BaseDirectory, "smtp_sink.py");
        _folder = ServerStartup.CreateTempFolder("smtp");
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            _process = ManagedProcess.Start(PythonPath, [script, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), _folder]);
            try
            {
                await ServerStartup.WaitUntilReadyAsync("aiosmtpd", _process, CanConnectAsync, TimeSpan.FromSeconds(20));
                return;
            }
            catch (ServerStartException) when (attempt < StartAttempts && _process.HasExited)
            {
                // Most likely the port was taken between FreePort.Next() and the bind (or aiosmtpd is missing: the last attempt says).
                await _process.DisposeAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(graceful: false);
            await _process.DisposeAsync();
        }
        ServerStartup.DeleteFolder(_folder);
    }

    /// <summary>RCPT TO these addresses is answered 550 from now on.</summary>
    public Task RejectRecipientsAsync(params string[] addresses) =>
        File.WriteAllTextAsync(Path.Combine(Folder, "reject_rcpt"), string.Join('\n', addresses));

    /// <summary>The next <paramref name="count"/> messages are answered 451 at DATA.</summary>
    public Task TemporarilyFailNextAsync(int count) =>
        File.WriteAllTextAsync(Path.Combine(Folder, "tempfail"), count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Every message accepted so far, in order of arrival.</summary>
    public IReadOnlyList<ReceivedMail> Messages()
    {
        return Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal).Select(Read).ToList();

        static ReceivedMail Read(string path)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            var data = root.GetProperty("data").GetString()!;
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(data));
            return new ReceivedMail(
                root.GetProperty("mail_from").GetString()!,
                root.GetProperty("rcpt_tos").EnumerateArray().Select(r => r.GetString()!).ToList(),
                MimeMessage.Load(stream));
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages arrived; fails with what did arrive after the timeout.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var messages = Messages();
            if (messages.Count >= count)
            {
                return messages;
            }
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Expected {count} message(s), {messages.Count} arrived: {string.Join("; ", messages.Select(m => string.Join(",", m.Recipients) + " " + m.Message.Subject))}. Server: {OutputTail}");
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Host, Port, cancellationToken);
        return true;
    }
}
