import Foundation
import Remote
import TestSupport
import XCTest

/// The files a download writes besides its result (`DEST.part`, `DEST.part.lock`) are only ever
/// files it created itself: links planted there are refused, never followed (issue 10).
final class PartFileSafetyTests: RemoteTestCase {
    private let victimText = "the user's own file\n"

    private func plantVictim() throws -> String {
        let victim = directory.file("victim.txt")
        try victimText.write(toFile: victim, atomically: true, encoding: .utf8)
        return victim
    }

    private func assertVictimUntouched(_ victim: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(try? String(contentsOfFile: victim, encoding: .utf8), victimText, "the link's target was changed",
                       file: file, line: line)
    }

    func testSymlinkAtTheLockFileIsRefused() throws {
        let bytes = payload(20_000)
        server.serve("/f.bin", bytes: bytes)
        let victim = try plantVictim()
        let request = DownloadRequest(url: server.url("/f.bin"), destination: directory.file("f.bin"))
        try FileManager.default.createSymbolicLink(atPath: request.lockPath, withDestinationPath: victim)
        let error = fetchError(request)
        XCTAssertTrue(error?.description.contains(request.lockPath) == true, "\(String(describing: error))")
        XCTAssertTrue(error?.description.contains("symbolic link") == true, "\(String(describing: error))")
        assertVictimUntouched(victim)
        XCTAssertFalse(exists(request.destination))
        XCTAssertTrue(server.requests.isEmpty, "refused before connecting")
    }

    func testSymlinkAtThePartFileIsRefused() throws {
        let bytes = payload(20_000)
        server.serve("/g.bin", bytes: bytes)
        let victim = try plantVictim()
        // With a checksum a .part is kept and resumed, so this is the case where it would be appended to.
        for sha in [sha256(bytes), nil] {
            let request = DownloadRequest(url: server.url("/g.bin"), destination: directory.file("g.bin"), sha256: sha)
            try FileManager.default.createSymbolicLink(atPath: request.partialPath, withDestinationPath: victim)
            let error = fetchError(request)
            XCTAssertTrue(error?.description.contains(request.partialPath) == true, "\(String(describing: error))")
            XCTAssertTrue(error?.description.contains("symbolic link") == true, "\(String(describing: error))")
            assertVictimUntouched(victim)
            XCTAssertFalse(exists(request.destination))
            try FileManager.default.removeItem(atPath: request.partialPath)
        }
    }

    func testHardLinkAtThePartFileIsNotAppendedTo() throws {
        let bytes = payload(20_000)
        server.serve("/h.bin", bytes: bytes)
        let victim = try plantVictim()
        let request = DownloadRequest(url: server.url("/h.bin"), destination: directory.file("h.bin"), sha256: sha256(bytes))
        XCTAssertEqual(link(victim, request.partialPath), 0)
        _ = fetchError(request)
        assertVictimUntouched(victim)
        XCTAssertFalse(exists(request.destination))
    }

    func testDestinationWithANULCharacterTouchesNothing() throws {
        let bytes = payload(1000)
        server.serve("/n", bytes: bytes)
        let keep = directory.file("notes")
        try "keep me\n".write(toFile: keep, atomically: true, encoding: .utf8)
        let request = DownloadRequest(url: server.url("/n"), destination: directory.file("notes\u{0}.pdf"))
        let error = fetchError(request)
        XCTAssertTrue(error?.description.contains("NUL") == true, "\(String(describing: error))")
        XCTAssertEqual(try String(contentsOfFile: keep, encoding: .utf8), "keep me\n")
        XCTAssertEqual(directory.contents(), ["notes"])
    }
}
