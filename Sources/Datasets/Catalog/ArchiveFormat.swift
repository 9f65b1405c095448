/// How a downloaded dataset file is packed.
public enum ArchiveFormat: String, Sendable, Codable, Equatable, CaseIterable {
    case zip
    case tar
    case tarGz = "tar.gz"
    case tarBz2 = "tar.bz2"
    case tarXz = "tar.xz"
    /// A plain file, copied into `data/` as it is.
    case none

    /// Whether the file is an archive to extract.
    public var isArchive: Bool { self != .none }

    /// The format guessed from a file name's extension (`.zip`, `.tar`, `.tgz`, `.tar.gz`, …), else `.none`.
    public static func guess(fromFileName name: String) -> ArchiveFormat {
        let lower = name.lowercased()
        if lower.hasSuffix(".zip") { return .zip }
        if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") { return .tarGz }
        if lower.hasSuffix(".tar.bz2") || lower.hasSuffix(".tbz2") { return .tarBz2 }
        if lower.hasSuffix(".tar.xz") || lower.hasSuffix(".txz") { return .tarXz }
        if lower.hasSuffix(".tar") { return .tar }
        return .none
    }
}
