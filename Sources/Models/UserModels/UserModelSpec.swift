import Audio
import Foundation

// MARK: - Sidecar

/// What `NAME.mlwb.json` next to a user's `NAME.onnx` records:
/// `{"task": "classify", "name": "My net", "inputSize": [h, w], "sampleRate": 16000, "normalization": "imagenet"}`.
/// Only `task` is required; the rest fall back to the model's own shapes and the task's defaults.
public struct UserModelSpec: Codable, Sendable, Equatable {
    /// `classify`, `image-to-image` or `audio-to-notes` (a `ModelTask` raw value).
    public var task: String
    /// Display name (defaults to the id).
    public var name: String?
    /// Input height and width for image models whose input shape is dynamic.
    public var inputSize: [Int]?
    /// Sample rate an audio-to-notes model expects (default 22,050 Hz).
    public var sampleRate: Int?
    /// Classifier input normalisation: "imagenet" (default) or "none" (pixels in 0…1).
    public var normalization: String?

    public init(task: ModelTask, name: String? = nil, inputSize: [Int]? = nil, sampleRate: Int? = nil, normalization: String? = nil) {
        self.task = task.rawValue
        self.name = name
        self.inputSize = inputSize
        self.sampleRate = sampleRate
        self.normalization = normalization
    }

    /// The declared task, or an error listing the tasks a user model can have.
    public func modelTask() throws -> ModelTask {
        try UserONNXModel.parseTask(task)
    }

    /// Reads a sidecar; the error names the file and the problem.
    public static func read(_ path: String) throws -> UserModelSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UserModelError.badSidecar(path: path, reason: "not readable")
        }
        let spec: UserModelSpec
        do {
            spec = try JSONDecoder().decode(UserModelSpec.self, from: data)
        } catch {
            throw UserModelError.badSidecar(path: path, reason: "not valid JSON with a \"task\" string (\(error))")
        }
        // A hand-edited sidecar is checked like the CLI's options: sizes a run can allocate, rates audio can have.
        if let size = spec.inputSize, size.count != 2 || !size.allSatisfy({ (1...Self.maxInputSide).contains($0) }) {
            throw UserModelError.badSidecar(path: path, reason: "\"inputSize\" \(size) must be [height, width], each 1–\(Self.maxInputSide)")
        }
        if let rate = spec.sampleRate, !AudioClip.supportedSampleRates.contains(rate) {
            let rates = AudioClip.supportedSampleRates
            throw UserModelError.badSidecar(path: path, reason: "\"sampleRate\" \(rate) is outside \(rates.lowerBound)–\(rates.upperBound) Hz")
        }
        return spec
    }

    /// The largest image side a user model may ask for (as `models add --input-size` allows).
    public static let maxInputSide = 16_384

    /// The sidecar as pretty JSON bytes.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(self)) + [0x0A]
    }
}

// MARK: - Errors

/// Why a user model cannot be added, found or run; messages say what to do.
public enum UserModelError: Error, Equatable, CustomStringConvertible {
    case unknownTask(String)
    case notONNX(path: String, reason: String)
    case shapeMismatch(task: String, detail: String)
    case badSidecar(path: String, reason: String)
    case invalidID(String)
    case alreadyExists(id: String, path: String)
    case reservedID(String)
    case notFound(id: String, available: [String])

    public var description: String {
        switch self {
        case .unknownTask(let t):
            return "unknown task '\(t)'; a user model's task is one of \(UserONNXModel.supportedTasks.map(\.rawValue).joined(separator: ", "))"
        case .notONNX(let path, let reason):
            return "\(path) is not a usable ONNX model: \(reason)"
        case .shapeMismatch(let task, let detail):
            return "the model does not fit the task '\(task)': \(detail)"
        case .badSidecar(let path, let reason):
            return "bad model description \(path): \(reason)"
        case .invalidID(let id):
            return "'\(id)' is not a usable model name (use letters, digits, '-', '_' or '.')"
        case .alreadyExists(let id, let path):
            return "a user model '\(id)' already exists (\(path)); remove it first with 'mlwb models rm \(id)' or pick another --name"
        case .reservedID(let id):
            return "'\(id)' is the id of a built-in model; pick another --name"
        case .notFound(let id, let available):
            let list = available.isEmpty ? "there are no user models" : "user models: \(available.joined(separator: ", "))"
            return "no user model '\(id)'; \(list)"
        }
    }
}
