import Audio
import Datasets

/// Reference and estimate files of a dataset evaluation paired by relative path: the same path first, then
/// the same path without its extension and the kind suffix that names what a file holds (`a.notes.csv`,
/// `a.mid` and `a.csv` are all `a` for notes; a batch run's outputs mirror a dataset's tree, so
/// `--ref dataset:maestro-v2:test` pairs with them). Where one side has several files for a key, the earliest in
/// `preference` order is used; every file left without a partner is listed, never dropped silently.
struct EvalPairs: Sendable, Equatable {
    /// A reference file and its estimate, with the key they share.
    struct Pair: Sendable, Equatable {
        var key: String
        var reference: String
        var estimate: String
    }

    /// Pairs in key order (paths under the two folders).
    var pairs: [Pair]
    /// Reference files without an estimate, relative to the reference folder.
    var unpairedReferences: [String]
    /// Estimate files without a reference, relative to the estimate folder.
    var unpairedEstimates: [String]

    /// Pairs the files under `reference` and `estimate` (folders, or `dataset:ID[:split]` for a catalog dataset's
    /// own files in the store) whose extension is in `extensions`; `preference` lists file endings best first
    /// (`.notes.csv`, `.csv`, `.mid`), whose parts before the extension are kind suffixes to strip (`.notes`).
    init(reference: String, estimate: String, extensions: Set<String>, preference: [String], environment: [String: String] = [:]) throws {
        func items(_ spec: String) throws -> [BatchItem] {
            if let dataset = BatchInputs.DatasetReference(spec) {
                return try BatchInputs.datasetItems(dataset, extensions: extensions, environment: environment)
            }
            return FileTree.files(under: spec).map(\.path).filter { path in
                BatchInputs.accepts(path, extensions) && !path.split(separator: "/").contains { $0.hasPrefix(".") }
            }.map { BatchItem(source: spec + "/" + $0, key: $0) }
        }
        self.init(references: try items(reference), estimates: try items(estimate), preference: preference)
    }

    /// Pairs two lists of files by their keys (relative paths), as described above.
    init(references: [BatchItem], estimates: [BatchItem], preference: [String]) {
        let refPath = Dictionary(references.map { ($0.key, $0.source) }) { a, _ in a }
        let estPath = Dictionary(estimates.map { ($0.key, $0.source) }) { a, _ in a }
        var refs = Set(refPath.keys), ests = Set(estPath.keys)
        var pairs: [Pair] = []
        for path in refs.intersection(ests) {
            pairs.append(Pair(key: Self.key(path, preference: preference), reference: refPath[path]!, estimate: estPath[path]!))
            refs.remove(path); ests.remove(path)
        }
        let taken = Set(pairs.map(\.key))
        let refByKey = Dictionary(grouping: refs) { Self.key($0, preference: preference) }
        let estByKey = Dictionary(grouping: ests) { Self.key($0, preference: preference) }
        for (key, refCandidates) in refByKey where !taken.contains(key) {
            guard let estCandidates = estByKey[key] else { continue }
            let r = Self.best(refCandidates, preference: preference), e = Self.best(estCandidates, preference: preference)
            pairs.append(Pair(key: key, reference: refPath[r]!, estimate: estPath[e]!))
            refs.remove(r); ests.remove(e)
        }
        self.pairs = pairs.sorted { $0.key < $1.key }
        unpairedReferences = refs.sorted()
        unpairedEstimates = ests.sorted()
    }

    /// `dir/name` without its extension, one kind suffix from `preference` (`.notes` of `.notes.csv`) and an
    /// audio extension a batch run kept (`a.flac.mid` → `a`).
    static func key(_ path: String, preference: [String]) -> String {
        let lower = path.lowercased()
        var key = BatchOutputNames.stem(path)
        if let ending = preference.filter({ $0.dropFirst().contains(".") }).first(where: { lower.hasSuffix($0) }), path.count > ending.count {
            key = String(path.dropLast(ending.count))
        }
        let stripped = BatchOutputNames.stem(key)
        if stripped != key, AudioFormat.readableExtensions.contains(String(key.dropFirst(stripped.count + 1)).lowercased()) { return stripped }
        return key
    }

    /// The file whose ending comes first in `preference` (then the first by name).
    static func best(_ candidates: [String], preference: [String]) -> String {
        func rank(_ path: String) -> Int { preference.firstIndex { path.lowercased().hasSuffix($0) } ?? preference.count }
        return candidates.min { (rank($0), $0) < (rank($1), $1) }!
    }
}
