import Foundation

/// A record, kept next to a stored file, of the last time it was hashed: the file's identity
/// (size, mtime, inode) and the outcome. While the identity is unchanged the hash is not recomputed.
struct VerificationMarker: Codable, Equatable {
    var size: Int
    var mtimeSeconds: Int
    var mtimeNanoseconds: Int
    var inode: UInt64
    /// The catalog sha256 the file was checked against.
    var expectedSHA256: String
    /// The sha256 the file had.
    var actualSHA256: String

    /// Whether the file matched.
    var matched: Bool { expectedSHA256 == actualSHA256 }

    // MARK: Identity

    /// Whether `identity` describes the same unchanged file.
    func describes(_ identity: FileIdentity) -> Bool {
        size == identity.size && mtimeSeconds == identity.mtimeSeconds
            && mtimeNanoseconds == identity.mtimeNanoseconds && inode == identity.inode
    }

    init(identity: FileIdentity, expected: String, actual: String) {
        size = identity.size
        mtimeSeconds = identity.mtimeSeconds
        mtimeNanoseconds = identity.mtimeNanoseconds
        inode = identity.inode
        expectedSHA256 = expected
        actualSHA256 = actual
    }

    // MARK: Files

    static func read(_ path: String) -> VerificationMarker? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(VerificationMarker.self, from: data)
    }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(self)) ?? Data())
    }
}
