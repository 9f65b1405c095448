import CCrypto

/// An incremental digest that a writer (e.g. the downloader) feeds chunk by chunk while it
/// writes, so a file is hashed without being read twice. One owner at a time; not thread-safe.
public final class DigestHasher {
    // MARK: Stored properties

    /// The algorithm being computed.
    public let algorithm: Digest.Algorithm
    /// The number of bytes fed so far.
    public private(set) var byteCount = 0
    private var context: OpaquePointer?
    private var result: Digest?

    // MARK: Creating

    /// A fresh hasher for `algorithm`.
    public init(_ algorithm: Digest.Algorithm) {
        self.algorithm = algorithm
        context = mlwb_EVP_MD_CTX_new()
        let md = algorithm == .sha256 ? mlwb_EVP_sha256() : mlwb_EVP_md5()
        guard let context, mlwb_EVP_DigestInit_ex(context, md, nil) == 1 else {
            fatalError("libcrypto could not initialise \(algorithm.rawValue)")
        }
    }

    deinit { mlwb_EVP_MD_CTX_free(context) }

    // MARK: Feeding

    /// Adds `bytes` to the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(result == nil, "DigestHasher.update after finalize")
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        mlwb_EVP_DigestUpdate(context, base, bytes.count)
        byteCount += bytes.count
    }

    /// Adds `bytes` to the digest.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds `bytes` to the digest.
    public func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything fed; later calls return the same value.
    public func finalize() -> Digest {
        if let result { return result }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        mlwb_EVP_DigestFinal_ex(context, &out, &length)
        let digest = Digest(algorithm: algorithm, bytes: Array(out.prefix(Int(length))))
        result = digest
        return digest
    }
}
