import Media

/// Why a download failed, with a message that says what happened and what to do next.
public enum RemoteError: Error, Equatable, Sendable {
    /// The server answered 404 (or 410): the file is not at that address.
    case notFound(url: String, status: Int)
    /// The server refused access (401/403).
    case forbidden(url: String, status: Int)
    /// Any other HTTP error status that retries did not cure.
    case httpStatus(url: String, status: Int, attempts: Int)
    /// A web page arrived where a file was expected.
    case htmlInsteadOfFile(url: String, detail: String)
    /// The connection failed (or stalled) on every attempt.
    case connectionFailed(url: String, reason: String, attempts: Int)
    /// Not enough free space for the download (checked up front and on write errors).
    case diskFull(path: String, needed: Int64?, available: Int64?)
    /// The disk filled up during a download of unknown length; the partial file was deleted.
    case diskFilled(path: String, written: Int64, available: Int64?)
    /// A file the download would write (`DEST.part`, `DEST.part.lock`) is not one it may use: a
    /// symbolic link, a hard link, a device, or a name with a NUL character. Nothing was touched.
    case unsafeFile(path: String, reason: String)
    /// The server sent the file in a content encoding mlwb cannot decode.
    case contentEncoding(url: String, encoding: String)
    /// The finished file has the wrong size; it was deleted.
    case sizeMismatch(url: String, expected: Int64, actual: Int64)
    /// The finished file has the wrong sha256 or md5; it was deleted.
    case checksumMismatch(url: String, algorithm: String, expected: String, actual: String)
    /// Google Drive refused the file because too many people downloaded it recently.
    case driveQuotaExceeded(fileID: String)
    /// Google Drive sent a page mlwb could not get past (private file, changed page format, …).
    case driveUnexpectedPage(fileID: String, detail: String)
    /// `MLWB_OFFLINE=1` and no mirror or local copy has the file.
    case offline(url: String, searched: [String])
    /// Another process (or another download in this one) is writing the same file.
    case busy(path: String, owner: String)
    /// The download was cancelled; nothing was kept.
    case cancelled(url: String)
    /// The download was paused or interrupted; the partial file is kept for resuming.
    case paused(partialPath: String, bytes: Int64)
    /// The address is not something mlwb can download.
    case invalidURL(String)
    /// Reading or writing a local file failed.
    case file(MediaError)
}

// MARK: - Messages

extension RemoteError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notFound(let url, let status):
            return "\(url): not found (HTTP \(status)); check the address, or the file may have moved — look for a newer link or use a mirror (MLWB_MIRROR)"
        case .forbidden(let url, let status):
            return "\(url): access denied (HTTP \(status)); the file may be private or the link expired — open it in a browser to check, then download it there and import it"
        case .httpStatus(let url, let status, let attempts):
            return "\(url): the server answered HTTP \(status) (\(attempts) attempt\(attempts == 1 ? "" : "s")); try again later"
        case .htmlInsteadOfFile(let url, let detail):
            return "\(url): got a web page instead of the file (\(detail)); the link may point to a download page rather than the file itself — open it in a browser to find the direct link"
        case .connectionFailed(let url, let reason, let attempts):
            return "\(url): download failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason); check the network and run the same command again (it resumes)"
        case .diskFull(let path, let needed, let available):
            var text = "\(path): not enough disk space"
            if let needed { text += " (need \(HumanReadable.bytes(needed))" + (available.map { ", \(HumanReadable.bytes($0)) free" } ?? "") + ")" }
            return text + "; free some space or choose another destination, then run again (a partial download resumes)"
        case .diskFilled(let path, let written, let available):
            let free = available.map { " (\(HumanReadable.bytes($0)) free now)" } ?? ""
            return "\(path): the disk filled up after \(HumanReadable.bytes(written)); the server did not say how large the file is, so it needs more than \(HumanReadable.bytes(written))\(free). The partial file was deleted — free more space or choose another destination, then run again"
        case .unsafeFile(let path, let reason):
            return "\(path): \(reason); mlwb only writes partial downloads and lock files it creates itself, so nothing was touched — remove or rename it, then run again"
        case .contentEncoding(let url, let encoding):
            return "\(url): the server sent the file with Content-Encoding '\(encoding)' (mlwb asked for the plain file and cannot decode that encoding); nothing was kept — report it to the server's owner or download the file another way"
        case .sizeMismatch(let url, let expected, let actual):
            return "\(url): wrong size: expected \(expected) bytes, got \(actual); the damaged file was deleted — run again to download it afresh"
        case .checksumMismatch(let url, let algorithm, let expected, let actual):
            return "\(url): \(algorithm) mismatch: expected \(expected), got \(actual); the damaged file was deleted — run again to download it afresh (if it fails again the file on the server changed)"
        case .driveQuotaExceeded(let id):
            return "Google Drive quota exceeded for this file (\(id)); try again in 24 h or download it in a browser and use `mlwb … import`"
        case .driveUnexpectedPage(let id, let detail):
            return "Google Drive file \(id): \(detail); check that the file is shared with 'anyone with the link', or download it in a browser and use `mlwb … import`"
        case .offline(let url, let searched):
            let places = searched.isEmpty ? "no mirror is set (MLWB_MIRROR)" : "not found in " + searched.joined(separator: ", ")
            return "\(url): MLWB_OFFLINE=1 and the file is not available locally (\(places)); put the file in a mirror directory, or unset MLWB_OFFLINE"
        case .busy(let path, let owner):
            return "\(path): another download is writing this file (\(owner)); wait for it to finish, or delete \(path).part.lock if that process is gone"
        case .cancelled(let url):
            return "\(url): download cancelled"
        case .paused(let partial, let bytes):
            return "download paused: \(HumanReadable.bytes(bytes)) kept in \(partial); run again to resume"
        case .invalidURL(let text):
            return "'\(text)' is not a URL mlwb can download (use http://, https://, file://, a Google Drive link or id)"
        case .file(let error):
            return error.description
        }
    }

    /// Whether trying again later (with the partial file kept) may succeed.
    public var isTransient: Bool {
        switch self {
        case .connectionFailed, .httpStatus, .paused, .diskFull: return true
        default: return false
        }
    }
}
