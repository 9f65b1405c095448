#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Media

/// A message digest (SHA-256 or MD5) computed with OpenSSL's libcrypto.
public struct Digest: Sendable, Hashable, CustomStringConvertible {
    /// The supported digest algorithms.
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case sha256, md5

        /// The digest length in bytes.
        public var byteCount: Int { self == .sha256 ? 32 : 16 }
    }

    // MARK: Stored properties

    /// The algorithm that produced the digest.
    public let algorithm: Algorithm
    /// The raw digest bytes.
    public let bytes: [UInt8]

    /// Creates a digest from its raw bytes.
    public init(algorithm: Algorithm, bytes: [UInt8]) {
        self.algorithm = algorithm
        self.bytes = bytes
    }

    /// The digest as lowercase hexadecimal.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { "\(algorithm.rawValue):\(hex)" }

    /// Whether the digest equals the hexadecimal string `hex` (case-insensitive).
    public func matches(hex other: String) -> Bool { hex == other.lowercased() }

    // MARK: Files

    /// The chunk size used when hashing files (1 MiB).
    public static let chunkSize = 1 << 20

    /// The SHA-256 of the file at `path`, streamed in 1 MiB chunks.
    public static func sha256(file path: String) throws -> Digest { try hash(file: path, algorithm: .sha256) }

    /// The MD5 of the file at `path`, streamed in 1 MiB chunks.
    public static func md5(file path: String) throws -> Digest { try hash(file: path, algorithm: .md5) }

    /// The digest of the file at `path`; `progress` (if given) receives the bytes hashed so far.
    public static func hash(file path: String, algorithm: Algorithm,
                            progress: ((Int) -> Void)? = nil) throws -> Digest {
        do {
            try FileAccess.checkReadableFile(path)
        } catch let error as MediaError {
            throw CheckpointError.file(error)
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw CheckpointError.file(.unreadable(path: path, reason: String(cString: strerror(errno))))
        }
        defer { close(descriptor) }
        #if os(Linux)
        _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
        let hasher = DigestHasher(algorithm)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer, chunkSize)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw CheckpointError.file(.unreadable(path: path, reason: String(cString: strerror(errno))))
            }
            hasher.update(UnsafeRawBufferPointer(start: buffer, count: count))
            progress?(hasher.byteCount)
        }
        return hasher.finalize()
    }

    // MARK: Memory

    /// The SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> Digest { hash(bytes, algorithm: .sha256) }

    /// The MD5 of `bytes`.
    public static func md5(_ bytes: [UInt8]) -> Digest { hash(bytes, algorithm: .md5) }

    /// The digest of `bytes` with `algorithm`.
    public static func hash(_ bytes: [UInt8], algorithm: Algorithm) -> Digest {
        let hasher = DigestHasher(algorithm)
        hasher.update(bytes)
        return hasher.finalize()
    }
}
