#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Media

/// Reads the first bytes of a file to recognise its format.
enum FileHead {
    /// Up to `count` bytes from the start of `path` (fewer if the file is shorter).
    static func read(_ path: String, count: Int) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw MediaError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, file) }
        return Array(bytes.prefix(read))
    }
}
