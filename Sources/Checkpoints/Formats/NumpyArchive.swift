/// NumPy's `.npz` format: a zip (stored or deflated) of `.npy` members, one per array.
public enum NumpyArchive {
    /// The most uncompressed bytes read from one archive (16 GiB).
    public static let maxBytes = 1 << 34

    // MARK: Reading

    /// Reads every array of the `.npz` at `path`, named without the `.npy` suffix, in archive order.
    public static func read(path: String) throws -> StateDict {
        try CheckpointError.reading(path) {
            let entries = try ZipReader.entries(path: path, format: "npz", limit: maxBytes)
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
}
