using Telehealth.Contracts.Devices;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.CareRecord.Devices;
using Telehealth.Gateway.Mqtt.BrokerSync;

namespace Telehealth.Gateway.Mqtt.Nats;

/// <summary>
/// Keeps nats-server's device users and per-device publish permissions the same as the registry: on start, at once
/// after every registration, rotation or revocation, and every <see cref="NatsAccountSyncOptions.ResyncInterval"/>.
/// Each pass writes the whole authorization include file (temporary file, flushed, renamed over the old one, so
/// nats-server never reads half a file) and sends nats-server SIGHUP, on which it reloads its configuration and
/// closes the connections of users that no longer exist (a revoked device) or whose password changed (a rotation).
/// </summary>
public sealed partial class NatsAccountSync(
    IOptions<MqttOptions> options,
    IDeviceRegistry registry,
    DeviceAccessChanges accessChanges,
    ILogger<NatsAccountSync> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0, 1);
    private ReloadSignal _lastReload = ReloadSignal.NotConfigured;
    private long _passes;

    /// <summary>Completed passes (file written and reload signalled); tests wait on it rather than sleeping.</summary>
    public long Passes => Interlocked.Read(ref _passes);

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
        var settings = options.Value.Nats.Sync;
        var retry = new ReloadRetry(settings.ResyncInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncOnceAsync(stoppingToken);
                retry.Record(_lastReload);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Retried at the next change or interval; nats-server keeps its previous users meanwhile.
                LogSyncFailed(logger, exception);
            }
            try
            {
                await _changed.WaitAsync(retry.NextWait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Writes the authorization file from the registry and signals nats-server to reload it.</summary>
    public async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        var nats = options.Value.Nats;
        var settings = nats.Sync;
        var accounts = await registry.ListBrokerAccountsAsync(cancellationToken);
        var serviceHash = nats.Username is not null && nats.Password is not null ? NatsPasswordHash.Create(nats.Password) : null;
        var content = NatsAuthorizationFile.Write(accounts, nats.Username, serviceHash);
        await WriteAtomicallyAsync(settings.AuthorizationFile!, content, (UnixFileMode)Convert.ToInt32(settings.FileMode, 8), cancellationToken);
        _lastReload = await SignalReloadAsync(settings.PidFile, cancellationToken);
        var pass = Interlocked.Increment(ref _passes);
        LogSynced(logger, accounts.Count(a => a.NatsPasswordHash is not null), pass);
    }

    private void OnAccessChanged(string deviceId, DeviceAccessChange change)
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already due; it reads the registry as it is then, this change included.
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

    [LoggerMessage(Level = LogLevel.Information, Message = "nats-server authorization written: {Devices} devices (pass {Pass})")]
    private static partial void LogSynced(ILogger logger, int devices, long pass);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write nats-server's authorization file; retrying at the next change")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No nats-server pid in {PidFile}: trying again shortly (nats-server also reads the file when it starts)")]
    private static partial void LogNoPid(ILogger logger, string pidFile);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not signal nats-server (pid {Pid}) to reload its users: kill exited with {ExitCode}; trying again shortly")]
    private static partial void LogSignalFailed(ILogger logger, int pid, int exitCode);
}
