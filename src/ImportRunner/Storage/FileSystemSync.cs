using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CallImport.ImportRunner.Storage;

/// <summary>
/// Writes a whole filesystem's data and metadata (files, renames) to disk with one <c>syncfs(2)</c> on a directory
/// handle held open from before the first write: the kernel reports a write-back error to every handle opened before
/// it happened, once, so a handle opened later would miss it. Linux only; source-generated P/Invoke (native-AOT safe).
/// </summary>
internal sealed partial class FileSystemSync : IDisposable
{
    private readonly SafeFileHandle _directory;
    private readonly string _path;

    private FileSystemSync(SafeFileHandle directory, string path) => (_directory, _path) = (directory, path);

    public static FileSystemSync Open(string directory)
    {
        var fd = OpenDirectory(directory, ReadOnly | CloseOnExec);
        if (fd < 0)
            throw new IOException($"Cannot open {directory} to flush it to disk: {Marshal.GetLastPInvokeErrorMessage()}.");
        return new FileSystemSync(new SafeFileHandle(fd, ownsHandle: true), directory);
    }

    /// <summary>Blocks until everything written to the filesystem so far is on disk; throws when some of it could not be.</summary>
    public void Sync()
    {
        var added = false;
        _directory.DangerousAddRef(ref added);
        try
        {
            if (SyncFileSystem((int)_directory.DangerousGetHandle()) != 0)
                throw new IOException($"Writing the media under {_path} to disk failed: {Marshal.GetLastPInvokeErrorMessage()}.");
        }
        finally
        {
            if (added) _directory.DangerousRelease();
        }
    }

    public void Dispose() => _directory.Dispose();

    private const int ReadOnly = 0;
    // No O_DIRECTORY: its value differs between x86-64 and arm64, and syncfs takes any handle on the filesystem.
    private const int CloseOnExec = 0x80000; // O_CLOEXEC, the same on x86-64 and arm64

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenDirectory(string path, int flags);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFileSystem(int fd);
}
