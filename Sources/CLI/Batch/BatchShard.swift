/// `--shard K/N`: the items whose stable hash of the relative path is K modulo N (K from 0). An item's
/// shard depends on its own path only, so it stays in the same shard across reruns and when items are
/// added or removed; the N shards of a run are disjoint and together hold every item.
struct BatchShard: Sendable, Equatable, CustomStringConvertible {
    /// This shard's number, 0..<count.
    var index: Int
    /// How many shards the items are split into.
    var count: Int

    /// Parses `K/N` (0 ≤ K < N, N ≤ 1,000,000).
    init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw UsageError("--shard expects K/N (e.g. 0/4; K counts from 0, as a Slurm array task id), got '\(text)'")
        }
        guard n >= 1, n <= 1_000_000 else { throw UsageError("--shard: N must be in 1–1000000, got \(n)") }
        guard k >= 0, k < n else { throw UsageError("--shard: K must be in 0–\(n - 1) for \(n) shards, got \(k)") }
        index = k
        count = n
    }

    /// A shard from its parts.
    init(index: Int, count: Int) { self.index = index; self.count = count }

    var description: String { "\(index)/\(count)" }

    /// Whether `key` (an item's relative path) belongs to this shard.
    func contains(_ key: String) -> Bool {
        Int(Self.stableHash(key) % UInt64(count)) == index
    }

    /// FNV-1a over the UTF-8 bytes, then SplitMix64's finaliser to spread the low bits: the same on every
    /// machine and every run (Swift's `Hasher` is seeded per process).
    static func stableHash(_ key: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        return h ^ (h >> 31)
    }
}
