using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Telehealth.Clinician.Web.Hosting;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>The staff-token signing key: from configuration, else generated once into the data folder (mode 600).</summary>
public sealed class SigningKeyProvider
{
    public SigningKeyProvider(IOptions<AuthOptions> authOptions, IOptions<StorageOptions> storageOptions)
    {
        byte[] key;
        if (!string.IsNullOrWhiteSpace(authOptions.Value.SigningKey))
        {
            key = Convert.FromBase64String(authOptions.Value.SigningKey);
        }
        else
        {
            var path = Path.Combine(storageOptions.Value.DataDirectory, "staff-token-signing.key");
            Directory.CreateDirectory(storageOptions.Value.DataDirectory);
            if (File.Exists(path))
            {
                key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            }
            else
            {
                key = RandomNumberGenerator.GetBytes(64);
                File.WriteAllText(path, Convert.ToBase64String(key));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
        }
        if (key.Length < 32)
        {
            throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), ["Auth:SigningKey must be at least 32 bytes (base64)."]);
        }
        Key = new SymmetricSecurityKey(key);
    }

    public SymmetricSecurityKey Key { get; }
}
