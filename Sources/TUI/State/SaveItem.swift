import Media
import Models

/// Something `s` saves: a picture (a DeepDream frame, the preview) or a run's result, which can also
/// be saved as the picture Preview shows of it (a path ending in .png).
public enum SaveItem: Equatable, Sendable {
    case picture(Image)
    case result(ModelResult, view: Image?)

    /// The extension the default name gets.
    public var defaultExtension: String {
        switch self {
        case .picture: return "png"
        case .result(let result, _): return ResultFile.defaultExtension(for: result)
        }
    }

    /// The extensions a save accepts, the default first.
    public var extensions: [String] {
        switch self {
        case .picture: return ["png"]
        case .result(let result, let view):
            let own = ResultFile.extensions(for: result)
            return view != nil && !own.contains("png") ? own + ["png"] : own
        }
    }

    /// The file's bytes for `path` (its extension picks the format).
    public func encode(forPath path: String) throws -> [UInt8] {
        let ext = path.split(separator: "/").last.flatMap { name in name.contains(".") ? name.split(separator: ".").last.map { $0.lowercased() } : nil } ?? ""
        switch self {
        case .picture(let image):
            guard ext == "png" || ext.isEmpty else { throw MediaError.invalidArgument("pictures are saved as .png, not .\(ext)") }
            return try PNGCodec.encode(image.clamped())
        case .result(let result, let view):
            if ext == "png", let view, !ResultFile.extensions(for: result).contains("png") { return try PNGCodec.encode(view.clamped()) }
            return try ResultFile.encode(result, forPath: path)
        }
    }
}

/// The save-as prompt: the path being typed, what it saves, and why the last try failed.
public struct SavePrompt: Equatable, Sendable {
    public var editor: LineEditor
    public var item: SaveItem
    /// Shown in the prompt after a failed save ("… exists: choose another name").
    public var problem: String?

    public init(path: String, item: SaveItem, problem: String? = nil) {
        editor = LineEditor(path); self.item = item; self.problem = problem
    }
}
