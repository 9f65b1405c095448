import Media

/// NumPy's `.npy` format (versions 1–3): magic, a Python-literal header giving `descr`,
/// `fortran_order` and `shape`, then the raw elements. Object arrays (pickled Python
/// objects) are refused.
public enum NumpyArray {
    /// The largest `.npy` file read into memory (16 GiB).
    public static let maxBytes = 1 << 34
    /// The largest header accepted.
    static let maxHeaderBytes = 1 << 20

    // MARK: Reading

    /// Reads the array in the `.npy` file at `path`.
    public static func read(path: String) throws -> WeightTensor {
        try CheckpointError.reading(path) {
            try decode(try FileAccess.readBytes(path, maxBytes: maxBytes))
        }
    }

    /// Whether `bytes` begin with the `.npy` magic string.
    public static func hasMagic(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count >= 6 && Array(bytes.prefix(6)) == [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]
    }

    /// Decodes a whole `.npy` file held in memory.
    public static func decode(_ bytes: [UInt8]) throws -> WeightTensor {
        guard hasMagic(bytes[...]) else { throw bad("missing \\x93NUMPY magic") }
        var reader = ByteReader(bytes, position: 6, format: "npy")
        let major = try reader.u8("version")
        _ = try reader.u8("minor version")
        let headerLength: Int
        switch major {
        case 1: headerLength = try reader.u16("header length")
        case 2, 3: headerLength = try reader.u32("header length")
        default: throw CheckpointError.unsupported(format: "npy", detail: "format version \(major)")
        }
        guard headerLength <= maxHeaderBytes else { throw bad("header of \(headerLength) bytes") }
        let header = String(decoding: try reader.take(headerLength, "header"), as: UTF8.self)
        let fields = try NumpyHeader.parse(header)
        let (dtype, bigEndian) = try elementType(fields.descr)
        let count = try ElementDecoder.checkedCount(fields.shape, format: "npy")
        let (length, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw bad("shape \(fields.shape) overflows") }
        try reader.require(length, "\(count) elements of \(fields.descr)")
        // Fortran order: the first axis varies fastest.
        var strides: [Int]? = nil
        if fields.fortranOrder {
            var running = 1
            strides = fields.shape.map { dim in defer { running *= max(dim, 1) }; return running }
        }
        return try bytes.withUnsafeBytes { raw in
            let region = UnsafeRawBufferPointer(rebasing: raw[reader.position..<(reader.position + length)])
            return try ElementDecoder.decode(region, storageCount: count, dtype: dtype, shape: fields.shape,
                                             strides: strides, bigEndian: bigEndian, format: "npy")
        }
    }

    // MARK: Element types

    /// The dtype and byte order of a NumPy type string like `<f4`.
    static func elementType(_ descr: String) throws -> (WeightDType, bigEndian: Bool) {
        guard let order = descr.first, descr.count >= 2 else { throw bad("dtype '\(descr)'") }
        let code = String(descr.dropFirst())
        if code.hasPrefix("O") {
            throw CheckpointError.unsupported(format: "npy", detail: "object arrays ('\(descr)') hold pickled Python objects and are refused")
        }
        let bigEndian: Bool
        switch order {
        case "<", "|", "=": bigEndian = false
        case ">": bigEndian = true
        default: throw CheckpointError.unsupported(format: "npy", detail: "dtype '\(descr)' (structured or unknown)")
        }
        let dtype: WeightDType
        switch code {
        case "f4": dtype = .float32
        case "f8": dtype = .float64
        case "f2": dtype = .float16
        case "i8": dtype = .int64
        case "i4": dtype = .int32
        case "i2": dtype = .int16
        case "i1": dtype = .int8
        case "u1": dtype = .uint8
        case "b1": dtype = .bool
        default: throw CheckpointError.unsupported(format: "npy", detail: "dtype '\(descr)' (supported: f2 f4 f8 i1 i2 i4 i8 u1 b1)")
        }
        return (dtype, bigEndian)
    }

    private static func bad(_ detail: String) -> CheckpointError { .malformed(format: "npy", detail: detail) }
}
