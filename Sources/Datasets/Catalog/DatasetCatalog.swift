import Foundation
import Media

/// The datasets mlwb knows, read from `datasets.json` in the assets folder (see `AssetLocator`).
public struct DatasetCatalog: Sendable, Equatable {
    /// The catalog file name inside an assets folder.
    public static let fileName = "datasets.json"

    // MARK: Stored properties

    /// The entries in catalog order.
    public let entries: [DatasetEntry]
    /// The file the catalog was read from (nil if built in memory).
    public let source: String?

    // MARK: Creating

    /// A catalog of `entries`, refusing malformed or duplicate entries.
    public init(entries: [DatasetEntry], source: String? = nil) throws {
        var seen = Set<String>()
        for entry in entries {
            if let problem = entry.problem { throw DatasetError.catalogInvalid(path: source ?? "(in memory)", detail: problem) }
            guard seen.insert(entry.id).inserted else {
                throw DatasetError.catalogInvalid(path: source ?? "(in memory)", detail: "duplicate id \(entry.id)")
            }
        }
        self.entries = entries
        self.source = source
    }

    /// Loads the catalog from `path`, or from the located assets folder when `path` is nil.
    public static func load(path: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatasetCatalog {
        let file: String
        if let path {
            file = path
        } else {
            guard let found = AssetLocator.path(fileName, environment: environment) else {
                var searched = ["$MLWB_ASSETS/\(fileName)", "<prefix>/share/mlwb/assets/\(fileName)", "assets/\(fileName) in the package checkout"]
                if let dir = AssetLocator.directory(environment: environment) { searched.insert(dir + "/" + fileName, at: 0) }
                throw DatasetError.catalogNotFound(searched: searched)
            }
            file = found
        }
        let bytes: [UInt8]
        do {
            bytes = try FileAccess.readBytes(file, maxBytes: 16 << 20)
        } catch let error as MediaError {
            throw DatasetError.media(error)
        }
        return try decode(bytes, source: file)
    }

    /// Parses catalog JSON (`{"version": 1, "datasets": [...]}`).
    public static func decode(_ bytes: [UInt8], source: String? = nil) throws -> DatasetCatalog {
        struct File: Decodable {
            var version: Int
            var datasets: [DatasetEntry]
        }
        let parsed: File
        do {
            parsed = try JSONDecoder().decode(File.self, from: Data(bytes))
        } catch let error as DatasetError {
            throw DatasetError.catalogInvalid(path: source ?? "(in memory)", detail: error.description)
        } catch {
            throw DatasetError.catalogInvalid(path: source ?? "(in memory)", detail: Self.describe(error))
        }
        guard parsed.version == 1 else {
            throw DatasetError.catalogInvalid(path: source ?? "(in memory)", detail: "unsupported version \(parsed.version) (this mlwb reads version 1)")
        }
        return try DatasetCatalog(entries: parsed.datasets, source: source)
    }

    // MARK: Lookup

    /// The entry with `id`, or `DatasetError.unknownDataset`.
    public func entry(_ id: String) throws -> DatasetEntry {
        guard let entry = entries.first(where: { $0.id == id }) else {
            throw DatasetError.unknownDataset(id: id, known: entries.map(\.id))
        }
        return entry
    }

    /// The ids in catalog order.
    public var ids: [String] { entries.map(\.id) }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch decoding {
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(context.debugDescription) at \(path(context))"
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError as? DatasetError { return "\(underlying) at \(path(context))" }
            return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
