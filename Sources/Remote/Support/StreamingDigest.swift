import Glibc
import CCrypto

/// mlwb's one message digest: an incremental SHA-256 or MD5 over libcrypto's EVP API, fed chunk by
/// chunk while a file is written (downloads, imports) or over a whole file (verification). Remote,
/// Checkpoints and Datasets all hash with it. One owner at a time; not thread-safe.
public final class StreamingDigest {
    /// The supported algorithms.
    public enum Algorithm: String, Sendable, Hashable, Codable, CaseIterable {
        case sha256, md5

        /// The digest length in hexadecimal characters (64 or 32).
        public var hexLength: Int { self == .sha256 ? 64 : 32 }
    }

    // MARK: Stored properties

    /// The algorithm being computed.
    public let algorithm: Algorithm
    /// Bytes fed so far.
    public private(set) var byteCount: Int64 = 0
    private let context: OpaquePointer

    /// The chunk size used when hashing files (1 MiB).
    public static let chunkSize = 1 << 20

    // MARK: Creating

    /// A fresh digest.
    public init(_ algorithm: Algorithm) {
        self.algorithm = algorithm
        guard let context = mlwb_EVP_MD_CTX_new() else { fatalError("libcrypto: out of memory") }
        self.context = context
        reset()
    }

    deinit { mlwb_EVP_MD_CTX_free(context) }

    /// Starts over (e.g. when a server ignores Range and sends the whole file again).
    public func reset() {
        let md = algorithm == .sha256 ? mlwb_EVP_sha256() : mlwb_EVP_md5()
        guard mlwb_EVP_DigestInit_ex(context, md, nil) == 1 else { fatalError("libcrypto cannot initialise \(algorithm)") }
        byteCount = 0
    }

    // MARK: Feeding

    /// Adds `count` bytes at `bytes`.
    public func update(_ bytes: UnsafeRawPointer, count: Int) {
        guard count > 0 else { return }
        mlwb_EVP_DigestUpdate(context, bytes, count)
        byteCount += Int64(count)
    }

    /// Adds the bytes of `buffer`.
    public func update(_ buffer: UnsafeRawBufferPointer) {
        if let base = buffer.baseAddress { update(base, count: buffer.count) }
    }

    /// Adds `bytes`.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds `bytes`.
    public func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest as lowercase hex; the state is copied, so more bytes may be fed afterwards.
    public func hex() -> String {
        guard let copy = mlwb_EVP_MD_CTX_new() else { fatalError("libcrypto: out of memory") }
        defer { mlwb_EVP_MD_CTX_free(copy) }
        mlwb_EVP_MD_CTX_copy_ex(copy, context)
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        mlwb_EVP_DigestFinal_ex(copy, &out, &length)
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(Int(length) * 2)
        for byte in out.prefix(Int(length)) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    // MARK: Files

    /// Feeds the first `limit` bytes of the file at `path` (all if nil); `progress` receives the bytes
    /// read so far and returns false to stop early. Returns the bytes read.
    @discardableResult
    public func update(file path: String, limit: Int64? = nil, progress: ((Int64) -> Bool)? = nil) throws -> Int64 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RemoteError.file(.unreadable(path: path, reason: String(cString: strerror(errno)))) }
        defer { close(fd) }
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        let chunk = Self.chunkSize
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while limit.map({ total < $0 }) ?? true {
            let want = limit.map { Int(min(Int64(chunk), $0 - total)) } ?? chunk
            let n = read(fd, buffer, want)
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw RemoteError.file(.unreadable(path: path, reason: String(cString: strerror(errno))))
            }
            update(buffer, count: n)
            total += Int64(n)
            if let progress, !progress(total) { break }
        }
        return total
    }

    /// The hex digest of a whole file; `progress` (if given) receives the bytes hashed so far.
    public static func hex(file path: String, algorithm: Algorithm = .sha256, progress: ((Int64) -> Void)? = nil) throws -> String {
        let digest = StreamingDigest(algorithm)
        try digest.update(file: path) { total in
            progress?(total)
            return true
        }
        return digest.hex()
    }

    /// The hex digest of `bytes`.
    public static func hex(of bytes: [UInt8], algorithm: Algorithm = .sha256) -> String {
        let digest = StreamingDigest(algorithm)
        digest.update(bytes)
        return digest.hex()
    }

    /// Whether `text` is a hexadecimal digest of the right length for `algorithm` (either case).
    public static func isValidHex(_ text: String, for algorithm: Algorithm) -> Bool {
        text.utf8.count == algorithm.hexLength
            && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
    }
}
