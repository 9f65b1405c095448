import Foundation
import Media

/// A model's named parameter presets: `MLWB_HOME/presets/<model>/<name>.json`, each a JSON object
/// of parameter names to the values as the form shows them.
public struct PresetStore: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    /// Why a preset could not be read or removed.
    public enum PresetError: Error, CustomStringConvertible {
        case missing(name: String, known: [String])
        case unreadable(path: String, reason: String)
        public var description: String {
            switch self {
            case .missing(let name, let known):
                return "no preset '\(name)'" + (known.isEmpty ? " (none saved yet: :preset save NAME)" : " (presets: \(known.joined(separator: ", ")))")
            case .unreadable(let path, let reason): return "\(path) is not a preset (\(reason))"
            }
        }
    }

    /// Saves (or replaces) a preset, atomically; returns its path.
    @discardableResult
    public func save(_ values: [String: String], name: String, modelID: String) throws -> String {
        let folder = root + "/" + modelID
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = folder + "/" + name + ".json"
        try AtomicFile.write(Array(try encoder.encode(values)), to: path)
        return path
    }

    /// The values of a saved preset.
    public func load(name: String, modelID: String) throws -> [String: String] {
        let path = root + "/" + modelID + "/" + name + ".json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PresetError.missing(name: name, known: names(modelID: modelID))
        }
        do {
            return try JSONDecoder().decode([String: String].self, from: data)
        } catch {
            throw PresetError.unreadable(path: path, reason: "expected an object of parameter names to values")
        }
    }

    /// The names of a model's presets, sorted.
    public func names(modelID: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + modelID)) ?? []
        return files.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }

    public func remove(name: String, modelID: String) throws {
        let path = root + "/" + modelID + "/" + name + ".json"
        guard FileManager.default.fileExists(atPath: path) else { throw PresetError.missing(name: name, known: names(modelID: modelID)) }
        try FileManager.default.removeItem(atPath: path)
    }
}
