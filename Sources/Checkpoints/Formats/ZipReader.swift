import CArchive

/// Reads the regular-file entries of a zip container (stored or deflated) with libarchive,
/// refusing entries or totals above a size limit.
enum ZipReader {
    /// One file inside the archive.
    struct Entry {
        var name: String
        var bytes: [UInt8]
    }

    // MARK: Reading

    /// Whether `bytes` begin with a zip local-file header.
    static func hasZipMagic(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count >= 4 && Array(bytes.prefix(4)) == [0x50, 0x4b, 0x03, 0x04]
    }

    /// The names of the regular-file entries of the zip at `path`, without reading their data.
    static func names(path: String, format: String) throws -> [String] {
        var names: [String] = []
        _ = try entries(path: path, format: format, limit: 0) { name in
            names.append(name)
            return false
        }
        return names
    }

    /// The names of the regular-file entries of a zip held in memory.
    static func names(bytes: [UInt8], format: String) throws -> [String] {
        var names: [String] = []
        _ = try entries(bytes: bytes, format: format, limit: 0) { name in
            names.append(name)
            return false
        }
        return names
    }

    /// The regular-file entries of the zip at `path`, in archive order, for which `wanted`
    /// returns true; throws if the archive is damaged or the entries exceed `limit` bytes in total.
    static func entries(path: String, format: String, limit: Int,
                        wanted: (String) -> Bool = { _ in true }) throws -> [Entry] {
        try read(source: path, format: format, limit: limit, wanted: wanted) { archive in
            mlwb_archive_read_open_filename(archive, path, 1 << 16)
        }
    }

    /// The regular-file entries of a zip held in memory (as `entries(path:…)`).
    static func entries(bytes: [UInt8], format: String, limit: Int,
                        wanted: (String) -> Bool = { _ in true }) throws -> [Entry] {
        try bytes.withUnsafeBytes { raw in
            try read(source: "<memory>", format: format, limit: limit, wanted: wanted) { archive in
                mlwb_archive_read_open_memory(archive, raw.baseAddress, raw.count)
            }
        }
    }

    /// Reads the entries of the archive that `open` opens on a fresh libarchive reader.
    private static func read(source: String, format: String, limit: Int, wanted: (String) -> Bool,
                             open: (OpaquePointer) -> Int32) throws -> [Entry] {
        guard let archive = mlwb_archive_read_new() else {
            throw CheckpointError.storeFailed(path: source, reason: "libarchive could not allocate a reader")
        }
        defer { mlwb_archive_read_free(archive) }
        mlwb_archive_read_support_format_zip(archive)
        mlwb_archive_read_support_filter_none(archive)
        func failure(_ what: String) -> CheckpointError {
            let reason = mlwb_archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
            return .malformed(format: format, detail: "\(what): \(reason)")
        }
        guard open(archive) == ARCHIVE_OK else {
            throw failure("cannot open as a zip archive")
        }
        var result: [Entry] = []
        var total = 0
        var entry: OpaquePointer?
        while true {
            let status = mlwb_archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else { throw failure("bad entry header") }
            let name = mlwb_archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            guard mlwb_archive_entry_filetype(entry) == 0o100000 /* AE_IFREG */, wanted(name) else {
                mlwb_archive_read_data_skip(archive)
                continue
            }
            var bytes: [UInt8] = []
            if mlwb_archive_entry_size_is_set(entry) != 0 {
                let declared = Int(mlwb_archive_entry_size(entry))
                guard declared >= 0, declared <= limit - total else {
                    throw CheckpointError.tooLarge(detail: "zip entry \(name) declares \(declared) bytes (limit \(limit) in total)")
                }
                bytes.reserveCapacity(declared)
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let read = chunk.withUnsafeMutableBytes { mlwb_archive_read_data(archive, $0.baseAddress, $0.count) }
                if read == 0 { break }
                guard read > 0 else { throw failure("cannot read entry \(name)") }
                guard bytes.count + read <= limit - total else {
                    throw CheckpointError.tooLarge(detail: "zip entry \(name) exceeds the limit of \(limit) bytes in total")
                }
                bytes.append(contentsOf: chunk[0..<read])
            }
            total += bytes.count
            result.append(Entry(name: name, bytes: bytes))
        }
        return result
    }
}
