import Glibc

/// A large transient buffer in its own anonymous mapping, 2 MiB-aligned and offered to the kernel
/// for transparent huge pages: a decoded 1024² image then costs two page faults instead of a
/// thousand (about 3 ms of a `mlwb show`). Freed when the value is released.
public final class MappedBuffer {
    // MARK: Stored properties

    /// The usable bytes.
    public let bytes: UnsafeMutableRawBufferPointer
    private let mapping: UnsafeMutableRawPointer
    private let mappedLength: Int

    private static let hugePage = 2 << 20

    // MARK: Creating

    /// A zero-filled buffer of `count` bytes; nil if the system refuses the mapping.
    public init?(count: Int) {
        let length = max(count, 1)
        let rounded = (length + Self.hugePage - 1) / Self.hugePage * Self.hugePage
        mappedLength = rounded + Self.hugePage  // slack to align the start
        guard let raw = mmap(nil, mappedLength, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED else { return nil }
        mapping = raw
        let aligned = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: raw) + Self.hugePage - 1) / Self.hugePage * Self.hugePage)!
        _ = madvise(aligned, rounded, 14 /* MADV_HUGEPAGE */)
        bytes = UnsafeMutableRawBufferPointer(start: aligned, count: count)
    }

    deinit { munmap(mapping, mappedLength) }
}
