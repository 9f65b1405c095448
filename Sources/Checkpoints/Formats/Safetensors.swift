import Foundation
import Media

/// The safetensors format: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian data.
public enum Safetensors {
    /// The largest JSON header accepted (100 MB, as the format's reference reader).
    public static let maxHeaderBytes = 100_000_000
    /// The largest file read into memory (64 GiB).
    public static let maxBytes = 1 << 36

    // MARK: Reading

    /// Reads every tensor of the safetensors file at `path`, ordered by data offset.
    public static func read(path: String) throws -> StateDict {
        try CheckpointError.reading(path) {
            try decode(try FileAccess.readBytes(path, maxBytes: maxBytes))
        }
    }

    /// Decodes a whole safetensors file held in memory, validating the header and every offset.
    public static func decode(_ bytes: [UInt8]) throws -> StateDict {
        var reader = ByteReader(bytes, format: "safetensors")
        let headerLength = try reader.length64("header length")
        guard headerLength <= maxHeaderBytes else {
            throw CheckpointError.malformed(format: "safetensors", detail: "header length \(headerLength) exceeds \(maxHeaderBytes) bytes")
        }
        let headerBytes = try reader.take(headerLength, "JSON header")
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw CheckpointError.malformed(format: "safetensors", detail: "header does not start with '{'")
        }
        let header: [String: HeaderValue]
        do {
            header = try JSONDecoder().decode([String: HeaderValue].self, from: Data(headerBytes))
        } catch {
            throw CheckpointError.malformed(format: "safetensors", detail: "header is not a JSON object of tensor descriptions (\(error))")
        }
        let dataStart = reader.position
        let dataSize = bytes.count - dataStart

        struct Entry { var name: String; var dtype: WeightDType; var shape: [Int]; var begin: Int; var end: Int }
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for (name, value) in header {
            switch value {
            case .metadata(let map):
                guard name == "__metadata__" else { throw bad("tensor \(name) lacks dtype, shape or data_offsets") }
                metadata = map
            case .tensor(let info):
                guard name != "__metadata__" else { throw bad("__metadata__ must map strings to strings") }
                guard let dtype = WeightDType(safetensorsName: info.dtype) else {
                    throw CheckpointError.unsupported(format: "safetensors", detail: "dtype \(info.dtype) of tensor \(name)")
                }
                guard info.data_offsets.count == 2 else { throw bad("tensor \(name) needs two data_offsets") }
                let begin = info.data_offsets[0], end = info.data_offsets[1]
                let count = try ElementDecoder.checkedCount(info.shape, format: "safetensors")
                guard begin >= 0, begin <= end, end <= dataSize else {
                    throw bad("tensor \(name) has data_offsets [\(begin), \(end)] outside the \(dataSize)-byte data section")
                }
                guard end - begin == count * dtype.byteSize else {
                    throw bad("tensor \(name) of shape \(info.shape) \(info.dtype) needs \(count * dtype.byteSize) bytes but its offsets span \(end - begin)")
                }
                entries.append(Entry(name: name, dtype: dtype, shape: info.shape, begin: begin, end: end))
            }
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var expected = 0
        for entry in entries {
            guard entry.begin == expected else {
                throw bad("tensor \(entry.name) starts at byte \(entry.begin) of the data section, expected \(expected) (overlap or gap)")
            }
            expected = entry.end
        }
        guard expected == dataSize else {
            throw bad("the tensors cover \(expected) of the \(dataSize) data bytes")
        }

        var result = StateDict()
        result.metadata = metadata
        try bytes.withUnsafeBytes { raw in
            for entry in entries {
                let region = UnsafeRawBufferPointer(rebasing: raw[(dataStart + entry.begin)..<(dataStart + entry.end)])
                let count = (entry.end - entry.begin) / entry.dtype.byteSize
                result[entry.name] = try ElementDecoder.decode(region, storageCount: count, dtype: entry.dtype,
                                                               shape: entry.shape, format: "safetensors")
            }
        }
        return result
    }

    /// One value of the JSON header: a tensor description or the `__metadata__` map.
    private enum HeaderValue: Decodable {
        struct TensorInfo: Decodable {
            var dtype: String
            var shape: [Int]
            var data_offsets: [Int]
        }
        case tensor(TensorInfo)
        case metadata([String: String])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let info = try? container.decode(TensorInfo.self) {
                self = .tensor(info)
            } else {
                self = .metadata(try container.decode([String: String].self))
            }
        }
    }

    private static func bad(_ detail: String) -> CheckpointError {
        .malformed(format: "safetensors", detail: detail)
    }

    // MARK: Writing

    /// Writes `tensors` to `path` atomically (temporary sibling, fsync, rename), each tensor in
    /// its own dtype, in state-dict order; `tensors.metadata` becomes `__metadata__`.
    public static func write(_ tensors: StateDict, to path: String) throws {
        let header = headerBytes(for: tensors)
        do {
            try AtomicFile.write(to: path) { temporary in
                guard let file = fopen(temporary, "wb") else {
                    throw MediaError.writeFailed(path: path, reason: String(cString: strerror(errno)))
                }
                var ok = true
                var length = UInt64(header.count).littleEndian
                ok = ok && withUnsafeBytes(of: &length) { fwrite($0.baseAddress, 1, 8, file) } == 8
                ok = ok && header.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) } == header.count
                for (_, tensor) in tensors where ok {
                    let data = encode(tensor)
                    ok = data.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) } == data.count
                }
                ok = ok && fflush(file) == 0 && fsync(fileno(file)) == 0
                let code = errno
                fclose(file)
                guard ok else {
                    throw MediaError.writeFailed(path: path, reason: "\(String(cString: strerror(code))) (is the disk full?)")
                }
            }
        } catch let error as MediaError {
            throw CheckpointError.file(error)
        }
    }

    /// The JSON header (padded with spaces to a multiple of 8 bytes) for `tensors`.
    static func headerBytes(for tensors: StateDict) -> [UInt8] {
        var parts: [String] = []
        if !tensors.metadata.isEmpty {
            let items = tensors.metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in tensors {
            let length = tensor.count * tensor.dtype.byteSize
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            parts.append("\(jsonString(name)):{\"dtype\":\"\(tensor.dtype.safetensorsName)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + length)]}")
            offset += length
        }
        var bytes = Array("{\(parts.joined(separator: ","))}".utf8)
        while bytes.count % 8 != 0 { bytes.append(UInt8(ascii: " ")) }
        return bytes
    }

    /// The little-endian bytes of `tensor` in its own dtype.
    static func encode(_ tensor: WeightTensor) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(tensor.count * tensor.dtype.byteSize)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        switch tensor.values {
        case .float(let values):
            switch tensor.dtype {
            case .float64: values.forEach { append(Double($0).bitPattern) }
            case .float16: values.forEach { append(HalfPrecision.half(from: $0)) }
            case .bfloat16: values.forEach { append(HalfPrecision.bfloat16(from: $0)) }
            default: values.forEach { append($0.bitPattern) }
            }
        case .integer(let values):
            switch tensor.dtype {
            case .int32: values.forEach { append(Int32(truncatingIfNeeded: $0)) }
            case .int16: values.forEach { append(Int16(truncatingIfNeeded: $0)) }
            case .int8: values.forEach { append(Int8(truncatingIfNeeded: $0)) }
            case .uint8: values.forEach { append(UInt8(truncatingIfNeeded: $0)) }
            case .bool: values.forEach { append(UInt8($0 != 0 ? 1 : 0)) }
            default: values.forEach { append($0) }
            }
        }
        return out
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
