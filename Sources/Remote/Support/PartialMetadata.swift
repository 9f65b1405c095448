import Foundation
import Media

/// The sidecar `DEST.part.meta`: what the `.part` bytes belong to, so a later run can resume
/// with `Range` + `If-Range` and notice when the file on the server changed.
struct PartialMetadata: Codable, Equatable {
    /// The URL the bytes came from (after mirror/Drive resolution, before redirects).
    var url: String
    /// The strong ETag of the response, if any.
    var etag: String?
    /// The Last-Modified header, if any.
    var lastModified: String?
    /// The full size announced by the server, if any.
    var totalSize: Int64?

    /// The value for `If-Range`: a strong ETag, else Last-Modified, else nil (no safe resume).
    var ifRangeValidator: String? {
        if let etag, !etag.hasPrefix("W/") { return etag }
        return lastModified
    }

    static func load(_ path: String) -> PartialMetadata? {
        guard let bytes = try? FileAccess.readBytes(path, maxBytes: 1 << 16) else { return nil }
        return try? JSONDecoder().decode(PartialMetadata.self, from: Data(bytes))
    }

    func save(_ path: String) throws {
        let data = try JSONEncoder().encode(self)
        do { try AtomicFile.write(Array(data), to: path) } catch let error as MediaError { throw RemoteError.file(error) }
    }
}
