import Media

/// An error reading a weight file, talking to the catalog or managing the local checkpoint store,
/// with a message a user can act on.
public indirect enum CheckpointError: Error, Equatable, Sendable {
    // MARK: Weight files

    /// A pickle referenced a global that is not on the allow-list; nothing was executed.
    case forbiddenGlobal(module: String, name: String)
    /// A pickle used an opcode the restricted unpickler does not accept.
    case forbiddenOpcode(opcode: UInt8, name: String, offset: Int)
    /// The bytes are not a valid file of `format` (truncated, inconsistent, out of bounds).
    case malformed(format: String, detail: String)
    /// A valid file uses a feature mlwb does not support.
    case unsupported(format: String, detail: String)
    /// The file declares something larger than mlwb will allocate.
    case tooLarge(detail: String)
    /// An error while reading the file at `path`.
    case inFile(path: String, CheckpointError)
    /// A lower-level file error (not found, unreadable, write failed).
    case file(MediaError)

    // MARK: Catalog

    /// No catalog file was found; `searched` lists the places tried.
    case catalogNotFound(searched: [String])
    /// The catalog file exists but cannot be used.
    case catalogInvalid(path: String, detail: String)
    /// No catalog entry has this id.
    case unknownCheckpoint(id: String, known: [String])

    // MARK: Store

    /// A file to import matches no catalog entry by size and sha256.
    case notInCatalog(path: String, size: Int, sha256: String?)
    /// A file's size differs from the catalog's.
    case sizeMismatch(id: String, path: String, expected: Int, actual: Int)
    /// A file's sha256 differs from the catalog's.
    case checksumMismatch(id: String, path: String, expected: String, actual: String)
    /// The checkpoint is not in the store.
    case notInstalled(id: String, path: String)
    /// A file-system operation on the store failed.
    case storeFailed(path: String, reason: String)
}

// MARK: - Helpers

extension CheckpointError {
    /// The innermost error, without any `inFile` wrapping.
    public var underlying: CheckpointError {
        if case .inFile(_, let inner) = self { return inner.underlying }
        return self
    }

    /// Runs `body`, attaching `path` to any checkpoint error and converting media errors.
    static func reading<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CheckpointError {
            if case .inFile = error { throw error }
            if case .file = error { throw error }
            throw CheckpointError.inFile(path: path, error)
        } catch let error as MediaError {
            throw CheckpointError.file(error)
        }
    }
}

// MARK: - Messages

extension CheckpointError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .forbiddenGlobal(let module, let name):
            return "refusing to load: the pickle references the global '\(module).\(name)', which is not on the allow-list of plain state-dict types (tensors, storages, OrderedDict); nothing was executed. Only load files from sources you trust, or convert them to safetensors"
        case .forbiddenOpcode(let opcode, let name, let offset):
            let hex = String(opcode, radix: 16)
            return "refusing to load: pickle opcode \(name) (0x\(hex)) at byte \(offset) is not accepted by the restricted unpickler; nothing was executed"
        case .malformed(let format, let detail):
            return "not a valid \(format) file: \(detail) (the file may be truncated or damaged; re-download it)"
        case .unsupported(let format, let detail):
            return "unsupported \(format) feature: \(detail)"
        case .tooLarge(let detail):
            return "too large: \(detail)"
        case .inFile(let path, let inner):
            return "\(path): \(inner)"
        case .file(let error):
            return error.description
        case .catalogNotFound(let searched):
            return "checkpoint catalog not found (looked in: \(searched.joined(separator: ", "))); install mlwb with 'mlwb install --prefix DIR' from a checkout's build, keep the assets folder beside the binary, or set MLWB_ASSETS to the folder holding checkpoints.json"
        case .catalogInvalid(let path, let detail):
            return "\(path): invalid checkpoint catalog: \(detail)"
        case .unknownCheckpoint(let id, let known):
            return "unknown checkpoint '\(id)' (known: \(known.joined(separator: ", ")))"
        case .notInCatalog(let path, let size, let sha256):
            let hash = sha256.map { ", sha256 \($0)" } ?? ""
            return "\(path): matches no checkpoint in the catalog (\(size) bytes\(hash)); pass the checkpoint id explicitly to check it against one entry"
        case .sizeMismatch(let id, let path, let expected, let actual):
            return "\(path): wrong size for checkpoint '\(id)': expected \(expected) bytes, got \(actual) (the file is truncated or a different file); it was not stored"
        case .checksumMismatch(let id, let path, let expected, let actual):
            return "\(path): sha256 mismatch for checkpoint '\(id)': expected \(expected), got \(actual) (the file is corrupt or a different version); it was not stored"
        case .notInstalled(let id, let path):
            return "checkpoint '\(id)' is not in the store (expected at \(path)); run `mlwb checkpoints import FILE` or `mlwb checkpoints get \(id)`"
        case .storeFailed(let path, let reason):
            return "\(path): checkpoint store operation failed: \(reason)"
        }
    }
}
