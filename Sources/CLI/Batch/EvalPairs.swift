import Audio
import Datasets

/// Reference and estimate files of a dataset evaluation paired by relative path: the same path first, then
/// the same path without its extension and the kind suffix that names what a file holds (`a.notes.csv`,
/// `a.mid` and `a.csv` are all `a` for notes). Where one side has several files for a key, the earliest in
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

    /// Pairs the files under `reference` and `estimate` whose extension is in `extensions`; `preference` lists
    /// file endings best first (`.notes.csv`, `.csv`, `.mid`), whose parts before the extension are kind
    /// suffixes to strip (`.notes`).
    init(reference: String, estimate: String, extensions: Set<String>, preference: [String]) {
        func files(_ root: String) -> [String] {
            FileTree.files(under: root).map(\.path).filter { path in
                BatchInputs.accepts(path, extensions) && !path.split(separator: "/").contains { $0.hasPrefix(".") }
            }
        }
        var refs = Set(files(reference)), ests = Set(files(estimate))
        var pairs: [Pair] = []
        for path in refs.intersection(ests) {
            pairs.append(Pair(key: Self.key(path, preference: preference), reference: reference + "/" + path, estimate: estimate + "/" + path))
        }
        refs.subtract(pairs.map { String($0.reference.dropFirst(reference.count + 1)) })
        ests.subtract(pairs.map { String($0.estimate.dropFirst(estimate.count + 1)) })
        let taken = Set(pairs.map(\.key))
        let refByKey = Dictionary(grouping: refs) { Self.key($0, preference: preference) }
        let estByKey = Dictionary(grouping: ests) { Self.key($0, preference: preference) }
        for (key, refCandidates) in refByKey where !taken.contains(key) {
            guard let estCandidates = estByKey[key] else { continue }
            let r = Self.best(refCandidates, preference: preference), e = Self.best(estCandidates, preference: preference)
            pairs.append(Pair(key: key, reference: reference + "/" + r, estimate: estimate + "/" + e))
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
