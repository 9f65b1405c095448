import Media

/// A PyTorch checkpoint (`torch.save` output): the unpickled object tree and the raw storages
/// its tensors point into. Reads both the legacy pickle stream (before PyTorch 1.6) and the
/// zip container (1.6 and later) through `RestrictedUnpickler`.
public struct TorchCheckpoint: Sendable {
    /// The container layout of the file.
    public enum Container: String, Sendable {
        /// Pre-1.6 stream: magic, protocol, sys-info and object pickles, storage keys, raw storages.
        case legacy
        /// 1.6+ zip: `<name>/data.pkl` and `<name>/data/<key>` entries.
        case zip
    }

    /// One serialized storage: elements of `dtype` starting at `start` in `bytes`.
    struct Blob: Sendable {
        var bytes: [UInt8]
        var start: Int
        var count: Int
        var dtype: WeightDType
    }

    // MARK: Stored properties

    /// The container layout the file used.
    public let container: Container
    /// The unpickled object (usually a dict of name → tensor).
    public let root: PickleValue
    let storages: [String: Blob]

    /// The most bytes a checkpoint may have (64 GiB).
    public static let maxBytes = 1 << 36

    // MARK: Reading

    /// Reads the PyTorch file at `path`, detecting legacy or zip layout.
    public static func read(path: String) throws -> TorchCheckpoint {
        try CheckpointError.reading(path) {
            let size = try FileAccess.checkReadableFile(path)
            guard size <= maxBytes else { throw CheckpointError.tooLarge(detail: "\(size) bytes (limit \(maxBytes))") }
            let head = try FileAccess.readHead(path, count: 4)
            if ZipReader.hasZipMagic(head[...]) { return try readZip(path: path) }
            return try readLegacy(bytes: try FileAccess.readBytes(path, maxBytes: maxBytes))
        }
    }

    /// Parses a PyTorch file held in memory (legacy stream or zip container).
    public static func read(bytes: [UInt8]) throws -> TorchCheckpoint {
        guard bytes.count <= maxBytes else { throw CheckpointError.tooLarge(detail: "\(bytes.count) bytes (limit \(maxBytes))") }
        if ZipReader.hasZipMagic(bytes[...]) {
            return try readZip(try ZipReader.entries(bytes: bytes, format: "PyTorch zip", limit: maxBytes, wanted: isZipMember))
        }
        return try readLegacy(bytes: bytes)
    }

    /// The tensors as a state dict: dict entries holding tensors, nested dicts flattened with
    /// dotted names (`{"model": {"fc.weight": …}}` → `model.fc.weight`); other values skipped.
    public func stateDict() throws -> StateDict {
        var result = StateDict()
        try collect(root, prefix: "", into: &result)
        return result
    }

    /// Reads the elements of one tensor reference into a `WeightTensor`.
    public func tensor(_ reference: TorchTensorReference) throws -> WeightTensor {
        guard let blob = storages[reference.storage.key] else {
            throw CheckpointError.malformed(format: "PyTorch", detail: "tensor refers to storage \(reference.storage.key), which the file does not contain")
        }
        guard blob.dtype == reference.storage.dtype else {
            throw CheckpointError.malformed(format: "PyTorch", detail: "storage \(reference.storage.key) is \(blob.dtype.rawValue) but a tensor reads it as \(reference.storage.dtype.rawValue)")
        }
        let (offset, overflow) = reference.offset.addingReportingOverflow(reference.storage.viewOffset)
        guard !overflow else { throw CheckpointError.malformed(format: "PyTorch", detail: "tensor offset overflows") }
        return try blob.bytes.withUnsafeBytes { raw in
            let region = UnsafeRawBufferPointer(rebasing: raw[blob.start...])
            return try ElementDecoder.decode(region, storageCount: blob.count, dtype: blob.dtype,
                                             shape: reference.shape, strides: reference.strides,
                                             offset: offset, format: "PyTorch")
        }
    }

    private func collect(_ value: PickleValue, prefix: String, into result: inout StateDict) throws {
        switch value {
        case .tensor(let reference):
            result[prefix] = try tensor(reference)
        case .dict(let pairs):
            for pair in pairs {
                let key: String
                switch pair.key {
                case .string(let s): key = s
                case .int(let i): key = String(i)
                default: continue
                }
                try collect(pair.value, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &result)
            }
        default:
            break
        }
    }

    // MARK: Legacy stream

    private static let legacyMagic: [UInt8] = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]

    /// Parses a legacy (pre-1.6) `torch.save` stream held in memory.
    public static func readLegacy(bytes: [UInt8]) throws -> TorchCheckpoint {
        var unpickler = RestrictedUnpickler(bytes: bytes)
        guard case .bigInt(let magic) = try unpickler.load(), magic == legacyMagic else {
            throw CheckpointError.malformed(format: "PyTorch", detail: "no PyTorch magic number (neither a legacy torch.save stream nor a zip archive)")
        }
        guard case .int(let version) = try unpickler.load(), version == 1001 else {
            throw CheckpointError.unsupported(format: "PyTorch", detail: "legacy protocol version other than 1001")
        }
        let sysInfo = try unpickler.load()
        if case .bool(false)? = sysInfo["little_endian"] {
            throw CheckpointError.unsupported(format: "PyTorch", detail: "big-endian legacy checkpoint")
        }
        let root = try unpickler.load()
        guard case .list(let keyValues) = try unpickler.load() else {
            throw CheckpointError.malformed(format: "PyTorch", detail: "storage key list missing")
        }
        let dtypes = storageTypes(in: root)
        var reader = ByteReader(bytes, position: unpickler.position, format: "PyTorch")
        var storages: [String: Blob] = [:]
        for keyValue in keyValues {
            guard let key = keyValue.stringValue ?? keyValue.intValue.map(String.init) else {
                throw CheckpointError.malformed(format: "PyTorch", detail: "storage key is not a string")
            }
            guard let dtype = dtypes[key] else {
                throw CheckpointError.malformed(format: "PyTorch", detail: "storage \(key) is listed but no tensor names its type")
            }
            let count = try reader.length64("element count of storage \(key)")
            let (length, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow else { throw CheckpointError.malformed(format: "PyTorch", detail: "storage \(key) declares \(count) elements") }
            let start = reader.position
            try reader.skip(length, "storage \(key) (\(count) \(dtype.rawValue) elements)")
            storages[key] = Blob(bytes: bytes, start: start, count: count, dtype: dtype)
        }
        return TorchCheckpoint(container: .legacy, root: root, storages: storages)
    }

    // MARK: Zip container

    private static func readZip(path: String) throws -> TorchCheckpoint {
        try readZip(try ZipReader.entries(path: path, format: "PyTorch zip", limit: maxBytes, wanted: isZipMember))
    }

    /// Whether a zip member is one `torch.save` writes and mlwb reads (the pickle, storages, byte order).
    private static func isZipMember(_ name: String) -> Bool {
        name.hasSuffix("/data.pkl") || name == "data.pkl" || name.contains("/data/") || name.hasPrefix("data/")
            || name.hasSuffix("/byteorder") || name == "byteorder"
    }

    private static func readZip(_ entries: [ZipReader.Entry]) throws -> TorchCheckpoint {
        guard let pickle = entries.first(where: { $0.name.hasSuffix("/data.pkl") || $0.name == "data.pkl" }) else {
            throw CheckpointError.malformed(format: "PyTorch zip", detail: "no data.pkl entry (a zip archive, but not a torch.save file)")
        }
        let prefix = String(pickle.name.dropLast("data.pkl".count))
        if let order = entries.first(where: { $0.name == prefix + "byteorder" }),
           String(decoding: order.bytes, as: UTF8.self).trimmingSpaces != "little" {
            throw CheckpointError.unsupported(format: "PyTorch zip", detail: "big-endian checkpoint (byteorder \(String(decoding: order.bytes, as: UTF8.self)))")
        }
        let root = try RestrictedUnpickler.load(pickle.bytes)
        let dtypes = storageTypes(in: root)
        var storages: [String: Blob] = [:]
        for entry in entries where entry.name.hasPrefix(prefix + "data/") {
            let key = String(entry.name.dropFirst(prefix.count + "data/".count))
            guard let dtype = dtypes[key] else { continue }  // e.g. serialization_id
            storages[key] = Blob(bytes: entry.bytes, start: 0, count: entry.bytes.count / dtype.byteSize, dtype: dtype)
        }
        return TorchCheckpoint(container: .zip, root: root, storages: storages)
    }

    // MARK: Helpers

    /// The element type of every storage key referenced in `value`.
    private static func storageTypes(in value: PickleValue) -> [String: WeightDType] {
        var result: [String: WeightDType] = [:]
        func visit(_ value: PickleValue) {
            switch value {
            case .storage(let s): result[s.key] = s.dtype
            case .tensor(let t): result[t.storage.key] = t.storage.dtype
            case .list(let items), .tuple(let items): items.forEach(visit)
            case .dict(let pairs): pairs.forEach { visit($0.key); visit($0.value) }
            default: break
            }
        }
        visit(value)
        return result
    }
}

private extension String {
    /// The string without leading or trailing spaces and newlines.
    var trimmingSpaces: String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\n" || $0 == "\r" }
        return String(String.UnicodeScalarView(scalars.reversed().drop { $0 == " " || $0 == "\n" || $0 == "\r" }.reversed()))
    }
}
