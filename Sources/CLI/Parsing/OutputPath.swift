import Media

/// What an output option names, and the one check every command's outputs get as soon as the command
/// reads them, before any input is read or any work is done. A path the disk cannot take (a missing or
/// read-only folder, a folder where a file goes, a file where a folder goes) is a `MediaError`, exit 1
/// like every other I/O failure; an empty path is a usage error, exit 2. The writes themselves stay atomic.
public enum OutputPath: Sendable {
    /// A file (its folder must exist and be writable; the path must not be a folder).
    case file
    /// A folder files are written into (a writable folder, or one that can be created with its parents).
    case folder
    /// A file, or an existing folder to save into (`download -o`).
    case fileOrFolder

    /// Throws unless `path` could be written as this kind of output; `option` names it in a usage error.
    public func check(_ path: String, option: String) throws {
        guard !path.isEmpty else { throw UsageError("\(option) needs a path, got an empty one") }
        switch self {
        case .file:
            try AtomicFile.checkWritable(path)
        case .folder:
            try AtomicFile.checkWritableFolder(path)
        case .fileOrFolder:
            if FileAccess.isDirectory(path) { try AtomicFile.checkWritableFolder(path) } else { try AtomicFile.checkWritable(path) }
        }
    }
}

extension Option where Value == String? {
    /// An output path, checked as `kind` whenever the command reads it (commands read outputs first).
    public init(_ long: String, short: Character? = nil, value: String, output kind: OutputPath, help: String) {
        let name = "--" + long
        self = .single(OptionSpec(long, short: short, value: value, help: help), fallback: nil) { path in
            try kind.check(path, option: name)
            return path
        }
    }
}
