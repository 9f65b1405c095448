import Foundation
import XCTest
import TestSupport
@testable import Datasets

/// Malicious archives built by the tests: nothing may land outside the destination, the
/// destination must not appear, and the error must name the archive and the offending entry.
final class ExtractionSafetyTests: XCTestCase {
    private var temp: TemporaryDirectory!
    private var outside: String { temp.file("outside") }
    private var work: String { temp.file("work") }
    private var destination: String { work + "/data" }

    override func setUpWithError() throws {
        temp = try TemporaryDirectory(prefix: "mlwb-extract-safety")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    override func tearDown() { temp.remove() }

    /// Extracts and expects a refusal of `kind` that names `entry`; checks nothing escaped or stayed.
    private func expectRefusal(_ archive: String, format: ArchiveFormat, entry: String,
                               limits: ExtractionLimits = .standard, reasonContains: String? = nil,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ArchiveExtractor(limits: limits).extract(archive, format: format, to: destination),
                             file: file, line: line) { error in
            let text = "\(error)"
            switch error as? DatasetError {
            case .unsafeEntry(let a, let e, _), .limitExceeded(let a, let e, _):
                XCTAssertEqual(a, archive, file: file, line: line)
                XCTAssertEqual(e, entry, "error should name the entry: \(text)", file: file, line: line)
            default:
                XCTFail("unexpected error \(error)", file: file, line: line)
            }
            XCTAssertTrue(text.contains(entry), text, file: file, line: line)
            if let reasonContains { XCTAssertTrue(text.contains(reasonContains), text, file: file, line: line) }
        }
        XCTAssertEqual(treeListing(outside), [], "something was written outside", file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination), "destination must not exist", file: file, line: line)
        XCTAssertEqual(treeListing(work).filter { !$0.hasSuffix(".zip") && !$0.contains(".tar") }, [],
                       "staging left behind", file: file, line: line)
    }

    func testZipWithParentTraversalIsRefused() throws {
        let archive = work + "/evil.zip"
        try ArchiveFixtures.zip(archive, [("ok.txt", "fine"), ("../outside/evil", "pwned")])
        expectRefusal(archive, format: .zip, entry: "../outside/evil", reasonContains: "..")
        XCTAssertFalse(FileManager.default.fileExists(atPath: temp.file("outside/evil")))
    }

    func testZipWithAbsolutePathIsRefused() throws {
        let archive = work + "/abs.zip"
        let target = outside + "/evil"   // an absolute path inside this test's own folder
        try ArchiveFixtures.zip(archive, [("a.txt", "a"), (target, "pwned")])
        expectRefusal(archive, format: .zip, entry: target, reasonContains: "absolute")
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
    }

    func testTarWithAbsolutePathIsRefused() throws {
        let archive = work + "/abs.tar"
        try ArchiveFixtures.tar(archive, [.file("/tmp/mlwb-evil-\(getpid())", "pwned")])
        expectRefusal(archive, format: .tar, entry: "/tmp/mlwb-evil-\(getpid())", reasonContains: "absolute")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/mlwb-evil-\(getpid())"))
    }

    func testTarSymlinkToEtcThenWriteThroughItIsRefused() throws {
        let archive = work + "/link.tar"
        try ArchiveFixtures.tar(archive, [.symlink("link", target: "/etc"), .file("link/passwd", "root::0:0::/:/bin/sh\n")])
        expectRefusal(archive, format: .tar, entry: "link", reasonContains: "outside")
    }

    func testTarSymlinkToOutsideFolderThenWriteIsRefused() throws {
        let archive = work + "/link2.tar.gz"
        try ArchiveFixtures.tar(archive, mode: "w:gz", [.symlink("up", target: "../../outside"), .file("up/evil", "x")])
        expectRefusal(archive, format: .tarGz, entry: "up", reasonContains: "outside")
    }

    func testWriteThroughAnInsideSymlinkIsRefused() throws {
        // `d -> .` stays inside, but `d/l -> ..` would really point one level above the destination.
        let archive = work + "/chain.tar"
        try ArchiveFixtures.tar(archive, [.symlink("d", target: "."), .symlink("d/l", target: "..")])
        expectRefusal(archive, format: .tar, entry: "d/l", reasonContains: "symlink")
    }

    func testSymlinkChainResolvingOutsideIsRefused() throws {
        // Each link is lexically inside, but together `l -> d/..` with `d -> .` resolves above the destination.
        let archive = work + "/chain2.tar"
        try ArchiveFixtures.tar(archive, [.symlink("l", target: "d/.."), .symlink("d", target: ".")])
        expectRefusal(archive, format: .tar, entry: "l", reasonContains: "resolves outside")
    }

    func testSymlinkChainThroughADeepUpLinkIsRefused() throws {
        // `up` climbs to the destination's root (lexically inside); `p` then climbs four more levels
        // from there: as text `p` stays in `d/e/f`, but resolved through `up` it leaves the tree.
        let archive = work + "/deep.tar"
        try ArchiveFixtures.tar(archive, [
            .folder("d/e/f/g/h/i/j"),
            .symlink("d/e/f/g/h/i/j/up", target: "../../../../../../.."),
            .symlink("p", target: "d/e/f/g/h/i/j/up/../../../../outside"),
        ])
        expectRefusal(archive, format: .tar, entry: "p", reasonContains: "resolves outside")
    }

    func testLinkToDotThenParentIsRefused() throws {
        // `q -> .` and `p -> q/../x`: `q/..` is the destination's parent, not the destination.
        let archive = work + "/dot.tar"
        try ArchiveFixtures.tar(archive, [.symlink("q", target: "."), .symlink("p", target: "q/../x")])
        expectRefusal(archive, format: .tar, entry: "p", reasonContains: "resolves outside")
    }

    func testLinkOrderDoesNotMatterForTheCheck() throws {
        // The link the target passes through comes later in the archive.
        let archive = work + "/order.tar"
        try ArchiveFixtures.tar(archive, [.symlink("p", target: "q/../x"), .symlink("q", target: ".")])
        expectRefusal(archive, format: .tar, entry: "p", reasonContains: "resolves outside")
    }

    func testLinkLoopIsRefused() throws {
        let archive = work + "/loop.tar"
        try ArchiveFixtures.tar(archive, [.symlink("a", target: "b/x"), .symlink("b", target: "a/y")])
        XCTAssertThrowsError(try ArchiveExtractor().extract(archive, format: .tar, to: destination)) { error in
            guard case .unsafeEntry? = error as? DatasetError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(treeListing(outside), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination))
    }

    func testHardlinkEscapeIsRefused() throws {
        let secret = outside + "/secret"
        try "secret".write(toFile: secret, atomically: true, encoding: .utf8)
        let archive = work + "/hard.tar"
        try ArchiveFixtures.tar(archive, [.file("a.txt", "a"), .hardlink("grab", target: "../outside/secret")])
        XCTAssertThrowsError(try ArchiveExtractor().extract(archive, format: .tar, to: destination)) { error in
            guard case .unsafeEntry(_, let entry, let reason)? = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertEqual(entry, "grab")
            XCTAssertTrue(reason.contains("hard link"), reason)
        }
        XCTAssertEqual(treeListing(outside), ["secret"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination))
    }

    func testAbsoluteHardlinkIsRefused() throws {
        let archive = work + "/hard2.tar"
        try ArchiveFixtures.tar(archive, [.hardlink("passwd", target: "/etc/passwd")])
        expectRefusal(archive, format: .tar, entry: "passwd", reasonContains: "hard link")
    }

    func testZipBombStopsAtTotalSizeLimit() throws {
        let archive = work + "/bomb.zip"
        try ArchiveFixtures.zipBomb(archive, entry: "zeros.bin", megabytes: 48)
        XCTAssertLessThan(FileTree.size(archive) ?? .max, 1 << 20)
        let limits = ExtractionLimits(maxTotalBytes: 8 << 20, maxEntries: 100, maxCompressionRatio: 1e9, ratioGraceBytes: 0)
        expectRefusal(archive, format: .zip, entry: "zeros.bin", limits: limits, reasonContains: "bytes")
    }

    func testZipBombStopsAtCompressionRatio() throws {
        let archive = work + "/ratio.zip"
        try ArchiveFixtures.zipBomb(archive, entry: "zeros.bin", megabytes: 32)
        let limits = ExtractionLimits(maxTotalBytes: 1 << 40, maxEntries: 100, maxCompressionRatio: 50, ratioGraceBytes: 1 << 20)
        expectRefusal(archive, format: .zip, entry: "zeros.bin", limits: limits, reasonContains: "expands")
    }

    func testTooManyEntriesStops() throws {
        let archive = work + "/many.zip"
        try ArchiveFixtures.zip(archive, (0..<40).map { ("f\($0).txt", "x") })
        let limits = ExtractionLimits(maxTotalBytes: 1 << 30, maxEntries: 25, maxCompressionRatio: 200, ratioGraceBytes: 1 << 20)
        expectRefusal(archive, format: .zip, entry: "f25.txt", limits: limits, reasonContains: "25 entries")
    }

    func testDamagedArchiveNamesTheArchive() throws {
        let archive = work + "/broken.tar.gz"
        try Data("this is not gzip at all".utf8).write(to: URL(fileURLWithPath: archive))
        XCTAssertThrowsError(try ArchiveExtractor().extract(archive, format: .tarGz, to: destination)) { error in
            guard case .archiveUnreadable(let a, _, _)? = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertEqual(a, archive)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination))
    }

    func testEntryPathRules() {
        XCTAssertEqual(try? ArchiveEntryPath.sanitise("./a//b/./c").get(), "a/b/c")
        XCTAssertEqual(try? ArchiveEntryPath.sanitise("dir/").get(), "dir")
        for bad in ["", "/etc/passwd", "..", "a/../../b", "a\\..\\b", "C:\\x", "./"] {
            XCTAssertNil(try? ArchiveEntryPath.sanitise(bad).get(), bad)
        }
        XCTAssertEqual(ArchiveEntryPath.resolveLinkTarget("../b", from: "x/a"), "b")
        XCTAssertNil(ArchiveEntryPath.resolveLinkTarget("../../b", from: "x/a"))
        XCTAssertNil(ArchiveEntryPath.resolveLinkTarget("/etc", from: "a"))
    }
}
