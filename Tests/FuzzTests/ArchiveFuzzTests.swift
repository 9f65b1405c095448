import Datasets
import Foundation
import TestSupport
import XCTest

/// Archives (tar, tar.gz, zip) through the guarded extractor: a mutant may extract or be refused,
/// but nothing may appear outside the destination, no staging folder may stay, and no extracted
/// link may lead outside it (even one that dangles until something is written through it).
final class ArchiveFuzzTests: XCTestCase {
    private var temp: TemporaryDirectory!
    private var work: String { temp.file("work") }
    private var outside: String { temp.file("outside") }
    private var destination: String { work + "/dest" }

    override func setUpWithError() throws {
        temp = try TemporaryDirectory(prefix: "mlwb-fuzz-archive")
        for folder in [work, outside] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    }

    override func tearDown() { temp.remove() }

    // MARK: Seeds

    /// Archives written by Python's tarfile and zipfile: files, folders, inside links, a hard link.
    private func seed(_ kind: String) throws -> [UInt8] {
        let path = temp.file("seed.\(kind)")
        let script = """
        import sys, io, tarfile, zipfile
        kind, path = sys.argv[1], sys.argv[2]
        files = [('set/a.txt', b'alpha\\n'), ('set/sub/b.csv', b'0.0,1.0,60\\n' * 40), ('set/c.bin', bytes(range(256)) * 8)]
        if kind == 'zip':
            with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('set/', b'')
                for name, data in files: z.writestr(name, data)
                z.writestr(zipfile.ZipInfo('set/stored.txt'), b'stored')
        else:
            with tarfile.open(path, 'w:gz' if kind == 'tar.gz' else 'w', format=tarfile.GNU_FORMAT) as t:
                for d in ['./', 'set', 'set/sub']:
                    i = tarfile.TarInfo(d); i.type = tarfile.DIRTYPE; i.mode = 0o755; t.addfile(i)
                for name, data in files:
                    i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
                i = tarfile.TarInfo('set/latest.csv'); i.type = tarfile.SYMTYPE; i.linkname = 'sub/b.csv'; t.addfile(i)
                i = tarfile.TarInfo('set/sub/up'); i.type = tarfile.SYMTYPE; i.linkname = '../a.txt'; t.addfile(i)
                i = tarfile.TarInfo('set/copy.txt'); i.type = tarfile.LNKTYPE; i.linkname = 'set/a.txt'; t.addfile(i)
        """
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, kind, path])
        guard result.status == 0 else { throw XCTSkip("skipped: python3 is needed to build archive seeds (\(result.stderr))") }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Recomputes every tar header checksum, so mutations reach the fields behind it (names,
    /// sizes, types, link targets) instead of stopping at the checksum.
    static func fixTarChecksums(_ bytes: inout [UInt8]) {
        var offset = 0
        while offset + 512 <= bytes.count {
            let header = offset..<(offset + 512)
            if bytes[header].allSatisfy({ $0 == 0 }) { offset += 512; continue }
            for i in (offset + 148)..<(offset + 156) { bytes[i] = 0x20 }
            let sum = bytes[header].reduce(0) { $0 + Int($1) }
            let octal = Array(String(sum, radix: 8).utf8)
            let field = [UInt8](repeating: 0x30, count: max(0, 6 - octal.count)) + octal.suffix(6) + [0, 0x20]
            for (k, byte) in field.enumerated() { bytes[offset + 148 + k] = byte }
            let sizeField = bytes[(offset + 124)..<(offset + 136)].prefix { $0 >= 0x30 && $0 <= 0x37 }
            let size = Int(String(decoding: sizeField, as: UTF8.self), radix: 8) ?? 0
            let blocks = min(size, bytes.count) / 512 + (size % 512 == 0 ? 0 : 1)
            offset += 512 * (1 + blocks)
        }
    }

    // MARK: Checks

    /// Extracts one mutant and checks the tree it leaves.
    private func extract(_ bytes: [UInt8], ext: String, format: ArchiveFormat) throws {
        let archive = work + "/archive." + ext
        try FuzzHarness.write(bytes, to: archive)
        defer {
            try? FileManager.default.removeItem(atPath: destination)
            try? FileManager.default.removeItem(atPath: archive)
        }
        let limits = ExtractionLimits(maxTotalBytes: 8 << 20, maxEntries: 2000, maxCompressionRatio: 200, ratioGraceBytes: 1 << 20)
        var failure: Error?
        do {
            try ArchiveExtractor(limits: limits).extract(archive, format: format, to: destination)
        } catch { failure = error }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [], "something was written outside")
        let left = try FileManager.default.contentsOfDirectory(atPath: work).filter { $0 != "archive." + ext && $0 != "dest" }
        XCTAssertEqual(left, [], "staging or stray files left next to the destination")
        if failure == nil { try checkLinks(under: destination) }
        if let failure { throw failure }
    }

    /// Every symlink under `root` resolves inside it, or would if its missing part were created.
    private func checkLinks(under root: String) throws {
        let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        for item in FileTree.files(under: root) where item.isSymlink {
            let link = root + "/" + item.path
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: link)
            XCTAssertFalse(target.hasPrefix("/"), "absolute link \(item.path) → \(target)")
            // Resolve as far as the file system goes, then lexically for the part that does not exist.
            var pending = (FileTree.parent(of: link) + "/" + target).split(separator: "/").map(String.init)
            var existing = "/"
            var missing: [String] = []
            var depth = 0
            while let part = pending.first, depth < 64 {
                pending.removeFirst()
                depth += 1
                let next = existing == "/" ? "/" + part : existing + "/" + part
                if missing.isEmpty, FileManager.default.fileExists(atPath: next) {
                    existing = URL(fileURLWithPath: next).resolvingSymlinksInPath().path
                } else if part == ".." {
                    if missing.isEmpty { existing = FileTree.parent(of: existing) } else { missing.removeLast() }
                } else if part != "." {
                    missing.append(part)
                }
            }
            XCTAssertTrue(existing == realRoot || existing.hasPrefix(realRoot + "/"),
                          "link \(item.path) → \(target) leads to \(existing) outside \(realRoot)")
        }
    }

    // MARK: Fuzzing

    func testMutatedTars() throws {
        let seed = try self.seed("tar")
        FuzzHarness.run("tar", seeds: [seed], seed: 0x544152) { bytes, index in
            var fixed = bytes
            if index % 4 != 0 { Self.fixTarChecksums(&fixed) }
            try extract(fixed, ext: "tar", format: index % 2 == 0 ? .tar : .none)
        }
    }

    func testMutatedTarGzs() throws {
        FuzzHarness.run("tar.gz", seeds: [try seed("tar.gz")], seed: 0x54475A) { bytes, _ in
            try extract(bytes, ext: "tar.gz", format: .tarGz)
        }
    }

    func testMutatedZips() throws {
        FuzzHarness.run("zip", seeds: [try seed("zip")], seed: 0x5A4950) { bytes, index in
            try extract(bytes, ext: "zip", format: index % 2 == 0 ? .zip : .none)
        }
    }
}
