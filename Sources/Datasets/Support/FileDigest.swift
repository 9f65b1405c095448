#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCrypto

/// Streaming SHA-256 and MD5 of files with libcrypto (1 MiB chunks, never the whole file in memory).
public enum FileDigest {
    /// A digest algorithm used in the catalog and in `checksums.json`.
    public enum Algorithm: String, Sendable, Hashable, Codable, CaseIterable {
        case sha256, md5

        /// The digest length in hexadecimal characters.
        public var hexLength: Int { self == .sha256 ? 64 : 32 }
    }

    // MARK: Hashing

    /// The lowercase hexadecimal digest of the file at `path`; `progress` receives bytes hashed so far.
    public static func hex(of path: String, algorithm: Algorithm = .sha256,
                           progress: ((Int64) -> Void)? = nil) throws -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DatasetError.file(path: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard let context = EVP_MD_CTX_new() else { throw DatasetError.file(path: path, reason: "libcrypto: cannot allocate a digest context") }
        defer { EVP_MD_CTX_free(context) }
        let md = algorithm == .sha256 ? EVP_sha256() : EVP_md5()
        guard EVP_DigestInit_ex(context, md, nil) == 1 else { throw DatasetError.file(path: path, reason: "libcrypto: digest init failed") }
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let count = read(descriptor, buffer, chunk)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw DatasetError.file(path: path, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            EVP_DigestUpdate(context, buffer, count)
            total += Int64(count)
            progress?(total)
        }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1 else { throw DatasetError.file(path: path, reason: "libcrypto: digest final failed") }
        return hexString(out[0..<Int(length)])
    }

    /// Whether `text` looks like a hexadecimal digest for `algorithm`.
    public static func isValidHex(_ text: String, for algorithm: Algorithm) -> Bool {
        text.utf8.count == algorithm.hexLength && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
    }

    private static func hexString(_ bytes: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
