import Media
/// Recognises a weight file by its first bytes and loads it as a state dict, whatever its format.
public enum WeightFile {
    /// A weight file format mlwb recognises.
    public enum Format: String, Sendable, CaseIterable {
        case pytorchLegacy = "pytorch-legacy"
        case pytorchZip = "pytorch-zip"
        case safetensors
        case npy
        case npz
        case onnx
    }

    // MARK: Detection

    /// The format of the file at `path` judged from its content (and, for zips, its entries).
    public static func detect(path: String) throws -> Format? {
        try CheckpointError.reading(path) {
            let head = try FileAccess.readHead(path, count: 16)
            if NumpyArray.hasMagic(head[...]) { return .npy }
            if head.count >= 2, head[0] == 0x80, head[1] <= 5 { return .pytorchLegacy }
            if ZipReader.hasZipMagic(head[...]) {
                let isTorch = try ZipReader.names(path: path, format: "zip").contains { $0.hasSuffix("data.pkl") }
                return isTorch ? .pytorchZip : .npz
            }
            if head.count >= 9, head[8] == UInt8(ascii: "{") { return .safetensors }
            if head.count >= 1, head[0] == 0x08 { return .onnx }  // protobuf field 1 (ir_version)
            return nil
        }
    }

    /// The format of weight-file bytes judged from their content (and, for zips, their entries).
    public static func detect(bytes: [UInt8]) throws -> Format? {
        let head = bytes.prefix(16)
        if NumpyArray.hasMagic(head) { return .npy }
        if head.count >= 2, head[0] == 0x80, head[1] <= 5 { return .pytorchLegacy }
        if ZipReader.hasZipMagic(head) {
            let isTorch = try ZipReader.names(bytes: bytes, format: "zip").contains { $0.hasSuffix("data.pkl") }
            return isTorch ? .pytorchZip : .npz
        }
        if head.count >= 9, head[8] == UInt8(ascii: "{") { return .safetensors }
        if head.count >= 1, head[0] == 0x08 { return .onnx }
        return nil
    }

    // MARK: Loading

    /// Parses a weight file held in memory, whatever its format, without any catalog entry: the
    /// direct entry point to the parsers (restricted unpickler, zip, safetensors, npy/npz) for
    /// tests and tools. `source` names the bytes in errors.
    public static func read(bytes: [UInt8], source: String = "<memory>") throws -> StateDict {
        try CheckpointError.reading(source) {
            switch try detect(bytes: bytes) {
            case .pytorchLegacy?, .pytorchZip?:
                return try TorchCheckpoint.read(bytes: bytes).stateDict()
            case .safetensors?:
                return try Safetensors.decode(bytes)
            case .npz?:
                return try NumpyArchive.decode(bytes)
            case .npy?:
                return StateDict([("array", try NumpyArray.decode(bytes))])
            case .onnx?:
                throw CheckpointError.unsupported(format: "ONNX", detail: "ONNX models are loaded by the engine's ONNX importer, not as a state dict")
            case nil:
                throw CheckpointError.unsupported(format: "weight", detail: "unrecognised bytes (expected a PyTorch .pth/.pt, .safetensors, .npy or .npz)")
            }
        }
    }

    /// Loads the tensors of the weight file at `path` (PyTorch legacy or zip, safetensors, npy, npz).
    public static func load(path: String) throws -> StateDict {
        switch try detect(path: path) {
        case .pytorchLegacy?, .pytorchZip?:
            return try TorchCheckpoint.read(path: path).stateDict()
        case .safetensors?:
            return try Safetensors.read(path: path)
        case .npz?:
            return try NumpyArchive.read(path: path)
        case .npy?:
            let file = String(path.split(separator: "/").last ?? "array")
            let name = file.hasSuffix(".npy") ? String(file.dropLast(4)) : file
            return StateDict([(name, try NumpyArray.read(path: path))])
        case .onnx?:
            throw CheckpointError.inFile(path: path, .unsupported(format: "ONNX", detail: "ONNX models are loaded by the engine's ONNX importer, not as a state dict"))
        case nil:
            throw CheckpointError.inFile(path: path, .unsupported(format: "weight", detail: "unrecognised file (expected a PyTorch .pth/.pt, .safetensors, .npy or .npz)"))
        }
    }
}
