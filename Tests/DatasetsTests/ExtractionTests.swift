import Foundation
import XCTest
import TestSupport
@testable import Datasets

/// Normal archives: every format extracts the same tree, with progress reports.
final class ExtractionTests: XCTestCase {
    private var temp: TemporaryDirectory!

    override func setUpWithError() throws { temp = try TemporaryDirectory(prefix: "mlwb-extract") }
    override func tearDown() { temp.remove() }

    private let members: [ArchiveFixtures.Member] = [
        .folder("set"), .folder("set/audio"),
        .file("set/audio/a.wav", "RIFF-a"), .file("set/audio/b.wav", String(repeating: "b", count: 300_000)),
        .file("set/labels/a.csv", "0.0,1.0,60\n"),
        .symlink("set/latest.csv", target: "labels/a.csv"),
        .hardlink("set/copy.wav", target: "set/audio/a.wav"),
    ]

    private func checkTree(_ root: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try String(contentsOfFile: root + "/set/audio/a.wav", encoding: .utf8), "RIFF-a", file: file, line: line)
        XCTAssertEqual(FileTree.size(root + "/set/audio/b.wav"), 300_000, file: file, line: line)
        XCTAssertEqual(try String(contentsOfFile: root + "/set/latest.csv", encoding: .utf8), "0.0,1.0,60\n", file: file, line: line)
        XCTAssertEqual(FileTree.kind(root + "/set/latest.csv"), .symlink, file: file, line: line)
        XCTAssertEqual(try String(contentsOfFile: root + "/set/copy.wav", encoding: .utf8), "RIFF-a", file: file, line: line)
    }

    func testTarOfTheCurrentFolderWithDotSlashEntriesExtracts() throws {
        // `tar cf x.tar -C dir .` starts with the entry `./` and names everything `./…`.
        let source = temp.file("src")
        try FileManager.default.createDirectory(atPath: source + "/sub", withIntermediateDirectories: true)
        try "one\n".write(toFile: source + "/a.txt", atomically: true, encoding: .utf8)
        try "two\n".write(toFile: source + "/sub/b.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: source + "/sub/link.txt", withDestinationPath: "../a.txt")
        let archive = temp.file("dot.tar")
        let tar = try ProcessRunner.run("/usr/bin/env", ["tar", "cf", archive, "-C", source, "."])
        guard tar.status == 0 else { throw XCTSkip("skipped: tar is not available (\(tar.stderr))") }
        let dest = temp.file("out-dot")
        let summary = try ArchiveExtractor().extract(archive, format: .tar, to: dest)
        XCTAssertEqual(try String(contentsOfFile: dest + "/a.txt", encoding: .utf8), "one\n")
        XCTAssertEqual(try String(contentsOfFile: dest + "/sub/b.txt", encoding: .utf8), "two\n")
        XCTAssertEqual(try String(contentsOfFile: dest + "/sub/link.txt", encoding: .utf8), "one\n")
        XCTAssertEqual(summary.files, 2)
    }

    func testDotEntriesThatAreNotFoldersAreRefused() throws {
        let archive = temp.file("dotfile.tar")
        try ArchiveFixtures.tar(archive, [.file("./", "x")])
        XCTAssertThrowsError(try ArchiveExtractor().extract(archive, format: .tar, to: temp.file("out-dotfile")))
        try ArchiveFixtures.tar(archive, [.symlink(".", target: "..")])
        XCTAssertThrowsError(try ArchiveExtractor().extract(archive, format: .tar, to: temp.file("out-dotlink")))
    }

    func testTarFormatsExtractWithProgress() throws {
        for (mode, format, ext) in [("w", ArchiveFormat.tar, "tar"), ("w:gz", .tarGz, "tar.gz"),
                                    ("w:bz2", .tarBz2, "tar.bz2"), ("w:xz", .tarXz, "tar.xz")] {
            let archive = temp.file("set.\(ext)")
            try ArchiveFixtures.tar(archive, mode: mode, members)
            var reports: [ExtractionProgress] = []
            let dest = temp.file("out-\(ext)")
            let summary = try ArchiveExtractor().extract(archive, format: format, to: dest) { reports.append($0) }
            try checkTree(dest)
            XCTAssertEqual(summary.entries, members.count, ext)
            XCTAssertEqual(summary.files, 4, ext)
            XCTAssertEqual(summary.bytesWritten, Int64(6 + 300_000 + 11), ext)
            XCTAssertEqual(reports.last?.finished, true, ext)
            XCTAssertEqual(reports.last?.entries, members.count, ext)
            XCTAssertEqual(reports.last?.bytesWritten, summary.bytesWritten, ext)
            XCTAssertTrue(zip(reports, reports.dropFirst()).allSatisfy { $0.bytesWritten <= $1.bytesWritten }, ext)
            // Auto-detection from the name gives the same result.
            try ArchiveExtractor().extract(archive, to: temp.file("auto-\(ext)"))
            try checkTree(temp.file("auto-\(ext)"))
        }
    }

    func testZipExtractsAndReplacesOnlyWhenAsked() throws {
        let archive = temp.file("set.zip")
        try ArchiveFixtures.zip(archive, [("top/", ""), ("top/a.txt", "alpha"), ("top/sub/b.txt", "beta")])
        let dest = temp.file("zipout")
        let summary = try ArchiveExtractor().extract(archive, format: .zip, to: dest)
        XCTAssertEqual(summary.files, 2)
        XCTAssertEqual(try String(contentsOfFile: dest + "/top/sub/b.txt", encoding: .utf8), "beta")
        XCTAssertThrowsError(try ArchiveExtractor().extract(archive, format: .zip, to: dest))
        try "stale".write(toFile: dest + "/stale.txt", atomically: true, encoding: .utf8)
        try ArchiveExtractor().extract(archive, format: .zip, to: dest, replaceExisting: true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest + "/stale.txt"))
        XCTAssertEqual(temp.contents().filter { $0.hasPrefix(".") }, [], "no staging or old folders left")
    }

    func testProgressStream() async throws {
        let archive = temp.file("s.tar.xz")
        try ArchiveFixtures.tar(archive, mode: "w:xz", members)
        var last: ExtractionProgress?
        var count = 0
        for try await report in ArchiveExtractor().progressStream(archive, to: temp.file("streamed")) {
            last = report
            count += 1
        }
        XCTAssertGreaterThanOrEqual(count, members.count)
        XCTAssertEqual(last?.finished, true)
        try checkTree(temp.file("streamed"))
    }

    func testProgressStreamThrowsRefusal() async throws {
        let archive = temp.file("bad.zip")
        try ArchiveFixtures.zip(archive, [("../x", "x")])
        do {
            for try await _ in ArchiveExtractor().progressStream(archive, to: temp.file("never")) {}
            XCTFail("expected a refusal")
        } catch let error as DatasetError {
            guard case .unsafeEntry(_, let entry, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(entry, "../x")
        }
    }

    func testStopRequestCancelsAndLeavesNothing() throws {
        let archive = temp.file("stop.tar")
        try ArchiveFixtures.tar(archive, members)
        let extractor = ArchiveExtractor(shouldStop: { true })
        XCTAssertThrowsError(try extractor.extract(archive, to: temp.file("stopped"))) { error in
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: temp.file("stopped")))
        XCTAssertEqual(temp.contents().filter { $0.hasPrefix(".") }, [])
    }
}
