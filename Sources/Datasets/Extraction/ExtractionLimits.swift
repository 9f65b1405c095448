/// Ceilings that stop an extraction before an archive bomb fills the disk.
///
/// Checked before and while each entry is written: a declared entry size over the remaining
/// budget is refused up front, and bytes are counted as they stream so an entry that lies about its
/// size is stopped mid-write. The compression ratio (bytes written ÷ archive file size) is only
/// enforced once `ratioGraceBytes` have been written, so small archives of text never trip it.
public struct ExtractionLimits: Sendable, Equatable {
    /// The most bytes all entries together may expand to.
    public var maxTotalBytes: Int64
    /// The most entries (files, folders, links) the archive may hold.
    public var maxEntries: Int
    /// The largest allowed ratio of extracted bytes to archive bytes.
    public var maxCompressionRatio: Double
    /// Bytes that may be written before the ratio limit applies.
    public var ratioGraceBytes: Int64

    /// Limits from their parts.
    public init(maxTotalBytes: Int64 = Self.standard.maxTotalBytes, maxEntries: Int = Self.standard.maxEntries,
                maxCompressionRatio: Double = Self.standard.maxCompressionRatio,
                ratioGraceBytes: Int64 = Self.standard.ratioGraceBytes) {
        self.maxTotalBytes = maxTotalBytes; self.maxEntries = maxEntries
        self.maxCompressionRatio = maxCompressionRatio; self.ratioGraceBytes = ratioGraceBytes
    }

    private init(total: Int64, entries: Int, ratio: Double, grace: Int64) {
        maxTotalBytes = total; maxEntries = entries; maxCompressionRatio = ratio; ratioGraceBytes = grace
    }

    /// The defaults: 256 GiB, one million entries, ratio 200 after the first 64 MiB.
    /// Large real datasets (Maestro's WAVs barely compress) stay far below the ratio; a deflate bomb does not.
    public static let standard = ExtractionLimits(total: 256 << 30, entries: 1_000_000, ratio: 200, grace: 64 << 20)
}
