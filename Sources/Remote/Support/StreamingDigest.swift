#if canImport(Glibc)
import Glibc
#endif
import CCrypto

/// An incremental SHA-256 or MD5 over libcrypto's EVP API, fed chunk by chunk while a file is
/// written, or over a whole file. Datasets hashes with it too; Checkpoints still has its own
/// `DigestHasher` (it sits beside Remote, not above it).
public final class StreamingDigest {
    /// The supported algorithms.
    public enum Algorithm: String, Sendable {
        case sha256, md5
    }

    // MARK: Stored properties

    /// The algorithm being computed.
    public let algorithm: Algorithm
    /// Bytes fed so far.
    public private(set) var byteCount: Int64 = 0
    private let context: OpaquePointer

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

    /// Adds `bytes`.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { if let base = $0.baseAddress { update(base, count: $0.count) } }
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
        for byte in out.prefix(Int(length)) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    // MARK: Files

    /// Feeds the first `limit` bytes of the file at `path` (all if nil); returns bytes read.
    @discardableResult
    public func update(file path: String, limit: Int64? = nil, progress: ((Int64) -> Bool)? = nil) throws -> Int64 {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw RemoteError.file(.unreadable(path: path, reason: String(cString: strerror(errno)))) }
        defer { close(fd) }
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        let chunk = 1 << 20
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

    /// The hex digest of a whole file.
    public static func hex(file path: String, algorithm: Algorithm) throws -> String {
        let digest = StreamingDigest(algorithm)
        try digest.update(file: path)
        return digest.hex()
    }
}
