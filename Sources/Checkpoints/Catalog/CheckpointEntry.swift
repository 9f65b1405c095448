/// One downloadable checkpoint as the catalog describes it: where it comes from, how to
/// recognise it (size and sha256), its licence and the model that uses it.
public struct CheckpointEntry: Sendable, Equatable, Codable {
    /// Stable identifier used on the command line (`mobilenet_v2`).
    public var id: String
    /// Human-readable name.
    public var name: String
    /// File name inside the store (a plain name, no directories).
    public var file: String
    /// Canonical download URL.
    public var url: String
    /// Size in bytes.
    public var size: Int
    /// Lowercase hexadecimal SHA-256 of the file.
    public var sha256: String
    /// The licence the file is published under.
    public var licence: String
    /// The id of the model that uses this checkpoint.
    public var model: String
    /// The file format (`pytorch-legacy`, `pytorch-zip`, `safetensors`, `onnx`, `npz`, `npy`).
    public var format: String

    /// Creates an entry.
    public init(id: String, name: String, file: String, url: String, size: Int, sha256: String,
                licence: String, model: String, format: String) {
        self.id = id
        self.name = name
        self.file = file
        self.url = url
        self.size = size
        self.sha256 = sha256.lowercased()
        self.licence = licence
        self.model = model
        self.format = format
    }

    // MARK: Validation

    /// The first problem with this entry, or nil if it is usable.
    public var problem: String? {
        if id.isEmpty || !id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) {
            return "id '\(id)' must be non-empty letters, digits, '_', '-' or '.'"
        }
        if file.isEmpty || file.contains("/") || file.hasPrefix(".") || file.contains("\0") {
            return "entry \(id): file '\(file)' must be a plain file name (no '/', not starting with '.')"
        }
        if size <= 0 { return "entry \(id): size must be positive" }
        if sha256.count != 64 || !sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            return "entry \(id): sha256 must be 64 lowercase hexadecimal digits"
        }
        if WeightFile.Format(rawValue: format) == nil {
            let known = WeightFile.Format.allCases.map(\.rawValue).joined(separator: ", ")
            return "entry \(id): unknown format '\(format)' (known: \(known))"
        }
        if !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            return "entry \(id): url must start with https:// or http://"
        }
        return nil
    }

    /// The format as an enum (valid entries always have one).
    public var weightFormat: WeightFile.Format? { WeightFile.Format(rawValue: format) }
}
