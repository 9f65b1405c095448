/// An error reading, decoding, encoding or writing a media file, with a message a user can act on.
public enum MediaError: Error, Equatable, Sendable {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The path names a directory where a file was expected.
    case isDirectory(path: String)
    /// The file exists but cannot be opened or read (permissions, I/O error).
    case unreadable(path: String, reason: String)
    /// The file's bytes are not a valid file of the expected format (truncated, corrupt, wrong type).
    case corrupt(path: String, format: String, detail: String)
    /// The file is valid but declares something mlwb will not allocate or process.
    case tooLarge(path: String, detail: String)
    /// The format or a feature of it is not supported.
    case unsupported(path: String, detail: String)
    /// The file is no picture in a format mlwb reads (told by its bytes, not its name).
    case unknownImageFormat(path: String)
    /// Writing the output failed; nothing was left under the final name.
    case writeFailed(path: String, reason: String)
    /// An argument to a media operation was out of range.
    case invalidArgument(String)
}

// MARK: - Messages

extension MediaError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file (check the path and the current directory)"
        case .isDirectory(let path):
            return "\(path): is a directory, not a file (name a file inside it)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason) (check permissions)"
        case .corrupt(let path, let format, let detail):
            return "\(path): not a valid \(format) file: \(detail) (the file may be truncated or damaged; re-export or re-download it)"
        case .tooLarge(let path, let detail):
            return "\(path): too large: \(detail)"
        case .unsupported(let path, let detail):
            return "\(path): unsupported: \(detail)"
        case .unknownImageFormat(let path):
            return "\(path): unsupported image format (\(ImageFormat.supportedList))"
        case .writeFailed(let path, let reason):
            return "\(path): cannot write: \(reason) (nothing was written under that name)"
        case .invalidArgument(let message):
            return message
        }
    }
}
