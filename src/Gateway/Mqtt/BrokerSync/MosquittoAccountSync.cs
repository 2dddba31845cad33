using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Gateway.Mqtt.BrokerSync;

/// <summary>
/// Keeps an external mosquitto's device accounts and per-device topic rules the same as the registry: on start, at
/// once after every registration, rotation or revocation, and every <see cref="BrokerSyncOptions.ResyncInterval"/>.
/// Each pass writes the whole ACL file and then the whole password file (each to a temporary file, flushed, then renamed
/// over the old one, so mosquitto never reads half a file) and sends mosquitto SIGHUP: a device mosquitto lets in always
/// has its topic rules loaded too. On that reload mosquitto re-checks every connected
/// client against the new files and disconnects one whose account is gone, so a revoked device is dropped at once and
/// refused at its next CONNECT. The signal is sent once more a second later (<see cref="ReloadRepeat"/>): mosquitto
/// loses a SIGHUP that arrives while it is still reloading for the previous one.
/// </summary>
public sealed partial class MosquittoAccountSync(
    IOptions<MqttOptions> options,
    IDeviceRegistry registry,
    DeviceAccessChanges accessChanges,
    ILogger<MosquittoAccountSync> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0, 1);
    private ReloadSignal _lastReload = ReloadSignal.NotConfigured;
    private long _passes;

    /// <summary>Completed passes (files written and reload signalled); tests wait on it rather than sleeping.</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>Raised after each pass with its number.</summary>
    public event Action<long>? Synced;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        accessChanges.Changed += OnAccessChanged;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        accessChanges.Changed -= OnAccessChanged;
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.External.Sync;
        var retry = new ReloadRetry(settings.ResyncInterval);
        var repeat = new ReloadRepeat();
        var passDue = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (passDue)
            {
                try
                {
                    await SyncOnceAsync(stoppingToken);
                    retry.Record(_lastReload);
                    repeat.AfterPass(_lastReload);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // Retried at the next change or interval; the broker keeps its previous accounts meanwhile.
                    LogSyncFailed(logger, exception);
                    repeat.AfterPass(ReloadSignal.Failed);
                }
            }
            else
            {
                // The files are as the pass wrote them: only the signal again, in case mosquitto lost the first one.
                retry.Record(await SignalReloadAsync(settings.PidFile, stoppingToken));
            }
            bool changed;
            try
            {
                changed = await _changed.WaitAsync(repeat.Wait(retry.NextWait), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            passDue = !repeat.TakeDue(changed);
        }
    }

    /// <summary>Writes both files from the registry and signals mosquitto to reload them.</summary>
    public async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        var external = options.Value.External;
        var settings = external.Sync;
        var accounts = await registry.ListBrokerAccountsAsync(cancellationToken);
        var serviceHash = external.Username is not null && external.Password is not null
            ? MosquittoPasswordHash.Create(external.Password)
            : null;
        var mode = (UnixFileMode)Convert.ToInt32(settings.FileMode, 8);
        // The ACL file first, then the password file. mosquitto reloads on any SIGHUP (an earlier pass's signal, which
        // it takes up to 100 ms to act on, or an operator's), and each reload reads the password file and then the ACL
        // file. Written the other way round, a reload falling between the two writes loaded a new device's password
        // without its topic rules: mosquitto let the device in and answered its readings with PUBACK NotAuthorized,
        // so they were dropped. In this order, a reload that sees a device's password also sees its topic rules.
        await WriteAtomicallyAsync(settings.AclFile!, MosquittoSecurityFiles.AclFile(accounts, external.Username), mode, cancellationToken);
        await WriteAtomicallyAsync(settings.PasswordFile!, MosquittoSecurityFiles.PasswordFile(accounts, external.Username, serviceHash), mode, cancellationToken);
        _lastReload = await SignalReloadAsync(settings.PidFile, cancellationToken);
        var pass = Interlocked.Increment(ref _passes);
        LogSynced(logger, accounts.Count, pass);
        Synced?.Invoke(pass);
    }

    private void OnAccessChanged(string deviceId, DeviceAccessChange change)
    {
        if (change is DeviceAccessChange.Assigned or DeviceAccessChange.Retrieved)
        {
            return;   // who has the device changed, not whether it may connect: mosquitto's accounts stay as they are
        }
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already due; it will read the registry as it is then, this change included.
        }
    }

    private async Task<ReloadSignal> SignalReloadAsync(string? pidFile, CancellationToken cancellationToken)
    {
        var (outcome, pid, exitCode) = await UnixSignals.ReloadAsync(pidFile, cancellationToken);
        if (outcome == ReloadSignal.NoPid)
        {
            LogNoPid(logger, pidFile!);
        }
        else if (outcome == ReloadSignal.Failed)
        {
            LogSignalFailed(logger, pid, exitCode);
        }
        return outcome;
    }

    private static async Task WriteAtomicallyAsync(string path, string content, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Password hashes: readable by the owner only unless configured otherwise (BrokerSyncOptions.FileMode).
                streamOptions.UnixCreateMode = mode;
            }
            await using (var stream = new FileStream(temporary, streamOptions))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(content), cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "mosquitto accounts written: {Devices} devices (pass {Pass})")]
    private static partial void LogSynced(ILogger logger, int devices, long pass);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write mosquitto's password and ACL files; retrying at the next change")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No mosquitto pid in {PidFile}: trying again shortly (mosquitto also reads the files when it starts)")]
    private static partial void LogNoPid(ILogger logger, string pidFile);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not signal mosquitto (pid {Pid}) to reload its accounts: kill exited with {ExitCode}; trying again shortly")]
    private static partial void LogSignalFailed(ILogger logger, int pid, int exitCode);
}
