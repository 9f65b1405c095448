import Datasets
import Glibc
import Media

/// Expands a batch command's inputs into items: files as given, folders recursively (the formats the
/// command reads, hidden files and the output folder left out), and `dataset:ID[:train|test]` through the
/// dataset store and the catalog's split rule.
enum BatchInputs {
    // MARK: Expanding

    /// Every item named by `inputs`, sorted by key. `extensions` are the readable formats (lower case, no
    /// dot); files inside `excluding` (the output folder) are skipped. Two inputs giving the same key, an
    /// input that does not exist, an unknown dataset or a folder without a readable file are errors.
    static func expand(_ inputs: [String], extensions: Set<String>, excluding: String?,
                       environment: [String: String]) throws -> [BatchItem] {
        let excluded = excluding.flatMap(realPath)
        var items: [BatchItem] = []
        var origin: [String: String] = [:]
        for input in inputs {
            let found: [BatchItem]
            if let reference = DatasetReference(input) {
                found = try datasetItems(reference, extensions: extensions, environment: environment)
            } else if FileAccess.isDirectory(input) {
                // The output folder is left out when it lies inside this folder (not when it is the folder itself).
                let inside = excluded.flatMap { out in realPath(input).map { out.hasPrefix($0 + "/") ? out : nil } } ?? nil
                found = folderItems(input, extensions: extensions, excluding: inside)
                if found.isEmpty {
                    throw MediaError.unsupported(path: input, detail: "the folder holds no " + describe(extensions) + " file")
                }
            } else {
                _ = try FileAccess.checkReadableFile(input)
                found = [BatchItem(source: input, key: FileTree.name(of: input))]
            }
            for item in found {
                if let earlier = origin[item.key] {
                    throw UsageError("two inputs are both '\(item.key)' in the output folder: \(earlier) and \(item.source); "
                        + "give the folder that holds both instead")
                }
                origin[item.key] = item.source
                items.append(item)
            }
        }
        return items.sorted { $0.key < $1.key }
    }

    /// The files under `folder` with a readable extension, not hidden, not inside `excluded`.
    static func folderItems(_ folder: String, extensions: Set<String>, excluding excluded: String?) -> [BatchItem] {
        let root = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        return FileTree.files(under: root).compactMap { file in
            guard accepts(file.path, extensions) else { return nil }
            guard !file.path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { return nil }
            let full = root + "/" + file.path
            if file.isSymlink && FileAccess.isDirectory(full) { return nil }
            if let excluded, let real = realPath(full), real.hasPrefix(excluded + "/") { return nil }
            return BatchItem(source: full, key: file.path)
        }
    }

    /// Whether `path`'s extension is one of `extensions`.
    static func accepts(_ path: String, _ extensions: Set<String>) -> Bool {
        let name = FileTree.name(of: path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return extensions.contains(name[name.index(after: dot)...].lowercased())
    }

    // MARK: Datasets

    /// `dataset:ID` or `dataset:ID:SPLIT`.
    struct DatasetReference {
        var id: String
        var split: String?

        init?(_ text: String) {
            guard text.hasPrefix("dataset:") else { return nil }
            let parts = text.dropFirst("dataset:".count).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            id = parts.first ?? ""
            split = parts.count > 1 ? parts[1...].joined(separator: ":") : nil
        }
    }

    /// The dataset's files on disk (its layout root), the split's when one is named.
    static func datasetItems(_ reference: DatasetReference, extensions: Set<String>,
                             environment: [String: String]) throws -> [BatchItem] {
        let store = DatasetStore(catalog: try DatasetCatalog.load(environment: environment), environment: environment)
        let ids = store.catalog.entries.map(\.id)
        guard ids.contains(reference.id) else {
            throw Suggestion.unknownID(reference.id, kind: "dataset", among: ids, hint: "see 'mlwb datasets list'")
        }
        let root = try store.layoutRoot(reference.id)
        guard FileAccess.isDirectory(root) else {
            throw MediaError.unsupported(path: root, detail: "dataset \(reference.id) is not on disk; run 'mlwb datasets get \(reference.id)'")
        }
        let paths: [String]
        switch reference.split {
        case nil:
            paths = FileTree.files(under: root).map(\.path)
        case "train", "test":
            let split = try store.split(reference.id)
            paths = reference.split == "train" ? split.train : split.test
        case let other?:
            throw UsageError("dataset:\(reference.id):\(other): the split is 'train' or 'test'"
                + Suggestion.phrase(for: other, among: ["train", "test"]))
        }
        let items = paths.filter { accepts($0, extensions) && !FileTree.name(of: $0).hasPrefix(".") }
            .map { BatchItem(source: root + "/" + $0, key: $0) }
        guard !items.isEmpty else {
            throw MediaError.unsupported(path: root, detail: "dataset \(reference.id)\(reference.split.map { " (\($0))" } ?? "") has no "
                + describe(extensions) + " file")
        }
        return items
    }

    // MARK: Helpers

    /// `WAV, FLAC or OGG`-style text for messages.
    static func describe(_ extensions: Set<String>) -> String {
        extensions.sorted().map { $0.uppercased() }.joined(separator: "/")
    }

    /// The canonical absolute path, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
