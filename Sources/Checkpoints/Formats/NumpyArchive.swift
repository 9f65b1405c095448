/// NumPy's `.npz` format: a zip (stored or deflated) of `.npy` members, one per array.
public enum NumpyArchive {
    /// The most uncompressed bytes read from one archive (16 GiB).
    public static let maxBytes = 1 << 34

    // MARK: Reading

    /// Reads every array of the `.npz` at `path`, named without the `.npy` suffix, in archive order.
    public static func read(path: String) throws -> StateDict {
        try CheckpointError.reading(path) {
            try stateDict(try ZipReader.entries(path: path, format: "npz", limit: maxBytes))
        }
    }

    /// Decodes every array of an `.npz` held in memory.
    public static func decode(_ bytes: [UInt8]) throws -> StateDict {
        try stateDict(try ZipReader.entries(bytes: bytes, format: "npz", limit: maxBytes))
    }

    /// The arrays of the archive's members, named without the `.npy` suffix.
    private static func stateDict(_ entries: [ZipReader.Entry]) throws -> StateDict {
        var result = StateDict()
        for entry in entries {
            let name = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
            do {
                result[name] = try NumpyArray.decode(entry.bytes)
            } catch let error as CheckpointError {
                throw CheckpointError.inFile(path: "member \(entry.name)", error)
            }
        }
        return result
    }
}
