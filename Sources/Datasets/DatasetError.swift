import Media

/// An error from the dataset catalog, store, extraction or download, with a message a user can act on.
public enum DatasetError: Error, Equatable, Sendable {
    /// No catalog entry has this id.
    case unknownDataset(id: String, known: [String])
    /// No catalog file was found in any of the searched places.
    case catalogNotFound(searched: [String])
    /// The catalog file is not valid (bad JSON, a malformed entry, duplicates).
    case catalogInvalid(path: String, detail: String)
    /// An archive entry would land outside the destination or is of a refused kind.
    case unsafeEntry(archive: String, entry: String, reason: String)
    /// Extraction stopped at a size, ratio or entry-count limit (archive bomb protection).
    case limitExceeded(archive: String, entry: String, detail: String)
    /// libarchive could not read the archive (damaged, truncated, wrong format).
    case archiveUnreadable(archive: String, entry: String?, detail: String)
    /// A file-system operation failed.
    case file(path: String, reason: String)
    /// A download failed.
    case downloadFailed(dataset: String, file: String, reason: String)
    /// A downloaded file does not match its expected size or checksum.
    case checksumMismatch(path: String, algorithm: String, expected: String, actual: String)
    /// The dataset cannot be downloaded automatically; the message says where to get it.
    case manualOnly(id: String, instructions: String)
    /// A split rule cannot be applied to the files on disk.
    case splitFailed(id: String, detail: String)
    /// A media-layer error (reading or writing a file).
    case media(MediaError)
}

// MARK: - Messages

extension DatasetError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unknownDataset(let id, let known):
            return "no dataset '\(id)' in the catalog (known: \(known.joined(separator: ", ")); run 'mlwb datasets list')"
        case .catalogNotFound(let searched):
            return "dataset catalog not found (searched: \(searched.joined(separator: ", "))); install mlwb with 'mlwb install --prefix DIR' from a checkout's build, keep the assets folder beside the binary, or set MLWB_ASSETS to the assets folder"
        case .catalogInvalid(let path, let detail):
            return "\(path): invalid dataset catalog: \(detail)"
        case .unsafeEntry(let archive, let entry, let reason):
            return "\(archive): entry '\(entry)' refused: \(reason) (nothing was extracted)"
        case .limitExceeded(let archive, let entry, let detail):
            return "\(archive): stopped at entry '\(entry)': \(detail) (possible archive bomb; nothing was extracted)"
        case .archiveUnreadable(let archive, let entry, let detail):
            let at = entry.map { " at entry '\($0)'" } ?? ""
            return "\(archive): cannot read archive\(at): \(detail) (the file may be truncated or damaged; re-download it)"
        case .file(let path, let reason):
            return "\(path): \(reason)"
        case .downloadFailed(let dataset, let file, let reason):
            return "dataset \(dataset): download of \(file) failed: \(reason)"
        case .checksumMismatch(let path, let algorithm, let expected, let actual):
            return "\(path): \(algorithm) is \(actual), expected \(expected) (the file is corrupt; remove it and download again)"
        case .manualOnly(let id, let instructions):
            return "dataset \(id) cannot be downloaded automatically.\n\(instructions)"
        case .splitFailed(let id, let detail):
            return "dataset \(id): cannot apply the split rule: \(detail)"
        case .media(let error):
            return error.description
        }
    }
}
