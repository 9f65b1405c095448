/// Where each item's outputs go under `--out`: the input's relative path with its extension replaced by each
/// format's suffix (`beats/waltz.wav` → `beats/waltz.beats.txt`). Items that would share an output (`a.wav` and
/// `a.flac`) keep their extension in it (`a.wav.mid`, `a.flac.mid`); this depends on every item of the run,
/// not on the shard, so all shards name outputs alike.
enum BatchOutputNames {
    /// The outputs of every item by key, relative to the output folder, one per format in order.
    static func outputs(for items: [BatchItem], formats: [BatchFormat]) -> [String: [String]] {
        var byStem: [String: Int] = [:]
        for item in items { byStem[stem(item.key), default: 0] += 1 }
        var result: [String: [String]] = [:]
        for item in items {
            let base = byStem[stem(item.key)]! > 1 ? item.key : stem(item.key)
            result[item.key] = formats.map { base + $0.suffix }
        }
        return result
    }

    /// `dir/name` without its last extension (`dir/name.v2` keeps `.v2` only when it is all there is after the dot).
    static func stem(_ key: String) -> String {
        let slash = key.lastIndex(of: "/").map { key.index(after: $0) } ?? key.startIndex
        guard let dot = key[slash...].lastIndex(of: "."), dot != slash else { return key }
        return String(key[..<dot])
    }
}
