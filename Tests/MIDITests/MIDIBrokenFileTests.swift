import Media
import TestSupport
import XCTest
@testable import MIDI

/// Broken files give `MediaError.corrupt` naming the path, the problem and the byte offset.
final class MIDIBrokenFileTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "mlwb-midi-broken") }
    override func tearDown() { directory.remove() }

    private var validFile: [UInt8] {
        SMFBytes.header(format: 1, tracks: 2) + SMFBytes.track(SMFBytes.tempo(500_000))
            + SMFBytes.track([0x00, 0x90, 60, 100, 0x83, 0x60, 0x80, 60, 0])
    }

    // MARK: Header

    func testWrongMagic() throws {
        let path = directory.file("wave.mid")
        try Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8).write(to: path)
        assertCorrupt(path: path, contains: ["expected the 'MThd' header", "found 'RIFF'", "byte offset 0"])
    }

    func testEmptyFile() throws {
        let path = directory.file("empty.mid")
        try [UInt8]().write(to: path)
        assertCorrupt(path: path, contains: ["an empty file", "byte offset 0"])
    }

    func testTruncatedHeader() throws {
        let path = directory.file("short.mid")
        try Array(validFile.prefix(11)).write(to: path)
        assertCorrupt(path: path, contains: ["header declares 6 bytes but only 3 remain", "byte offset 4"])
    }

    func testAbsurdTrackCount() throws {
        var bytes = validFile
        bytes[10] = 0xFF; bytes[11] = 0xFF
        let path = directory.file("tracks.mid")
        try bytes.write(to: path)
        assertCorrupt(path: path, contains: ["header declares 65535 tracks but only", "byte offset 10"])
    }

    func testZeroDivisionAndBadFormat() throws {
        var bytes = validFile
        bytes[12] = 0; bytes[13] = 0
        let path = directory.file("division.mid")
        try bytes.write(to: path)
        assertCorrupt(path: path, contains: ["division field 0x0", "byte offset 12"])
        bytes = validFile
        bytes[9] = 7
        try bytes.write(to: path)
        assertCorrupt(path: path, contains: ["format 7 is not 0, 1 or 2", "byte offset 8"])
    }

    // MARK: Chunks

    func testChunkLengthBeyondFile() throws {
        var bytes = validFile
        let second = 14 + 8 + 11  // header + first track (tempo 7 bytes + end 4 bytes)
        XCTAssertEqual(Array(bytes[second..<second + 4]), Array("MTrk".utf8))
        bytes[second + 4] = 0x7F  // length 0x7F00000D
        let path = directory.file("huge-chunk.mid")
        try bytes.write(to: path)
        assertCorrupt(path: path, contains: ["chunk 'MTrk' declares 2130706445 bytes but only 13 remain",
                                             "track 2 of 2", "byte offset \(second)"])
    }

    func testTruncatedInsideTrack() throws {
        let path = directory.file("cut.mid")
        try Array(validFile.dropLast(6)).write(to: path)
        assertCorrupt(path: path, contains: ["declares 13 bytes but only 7 remain", "truncated"])
    }

    func testMissingTracks() throws {
        let path = directory.file("missing.mid")
        let bytes = SMFBytes.header(format: 1, tracks: 2) + SMFBytes.track(SMFBytes.tempo(500_000)) + [0x4D, 0x54]
        try bytes.write(to: path)
        assertCorrupt(path: path, contains: ["file ends after 1 of the 2 tracks", "2 stray bytes", "byte offset 33"])
        let cut = SMFBytes.header(format: 1, tracks: 2) + SMFBytes.track(SMFBytes.tempo(500_000))
        try cut.write(to: path)
        assertCorrupt(path: path, contains: ["file ends after 1 of the 2 tracks", "0 stray bytes", "byte offset 33"])
    }

    // MARK: Events

    func testEventCutByChunkEnd() throws {
        let bytes = SMFBytes.header(format: 0, tracks: 1) + SMFBytes.track([0x00, 0x90, 60], endOfTrack: false)
        let path = directory.file("event.mid")
        try bytes.write(to: path)
        assertCorrupt(path: path, contains: ["track chunk ends in the middle of a channel event in track 1", "byte offset 25"])
    }

    func testOverlongVariableLengthQuantity() throws {
        let bytes = SMFBytes.header(format: 0, tracks: 1) + SMFBytes.track([0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 100])
        let path = directory.file("vlq.mid")
        try bytes.write(to: path)
        assertCorrupt(path: path, contains: ["a delta time in track 1 is a variable-length quantity longer than 4 bytes", "byte offset 22"])
    }

    func testMetaLengthBeyondChunk() throws {
        let bytes = SMFBytes.header(format: 0, tracks: 1)
            + SMFBytes.track([0x00, 0xFF, 0x01, 0x8F, 0xFF, 0xFF, 0x7F, 0x41])
        let path = directory.file("meta.mid")
        try bytes.write(to: path)
        assertCorrupt(path: path, contains: ["meta event 0x01 in track 1 declares 33554431 bytes but only", "byte offset 29"])
    }

    func testSysexLengthBeyondChunk() throws {
        let bytes = SMFBytes.header(format: 0, tracks: 1) + SMFBytes.track([0x00, 0xF0, 0x7F, 0x01])
        let path = directory.file("sysex.mid")
        try bytes.write(to: path)
        assertCorrupt(path: path, contains: ["sysex event in track 1 declares 127 bytes"])
    }

    func testIllegalStatusAndDataBytes() throws {
        let path = directory.file("status.mid")
        try (SMFBytes.header(format: 0, tracks: 1) + SMFBytes.track([0x00, 0xF8])).write(to: path)
        assertCorrupt(path: path, contains: ["status byte 0xF8 is not allowed", "byte offset 23"])
        try (SMFBytes.header(format: 0, tracks: 1) + SMFBytes.track([0x00, 0x90, 0xC0, 0x40])).write(to: path)
        assertCorrupt(path: path, contains: ["data byte 0xC0 has its high bit set", "byte offset 24"])
    }

    func testEveryTruncationFailsCleanly() throws {
        // Every prefix of a valid file either decodes or throws corrupt; none crashes.
        let bytes = validFile
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try MIDIFile.decode(Array(bytes.prefix(length)), source: "p.mid")) { error in
                guard case MediaError.corrupt = error else { return XCTFail("length \(length): \(error)") }
            }
        }
        XCTAssertNoThrow(try MIDIFile.decode(bytes))
    }

    func testRandomCorruptionNeverCrashes() {
        var generator = SeededGenerator(seed: 42)
        let original = validFile
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<3 { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            do { _ = try MIDIFile.decode(bytes) } catch let error as MediaError {
                XCTAssertFalse(error.description.isEmpty)
            } catch { XCTFail("unexpected \(error)") }
        }
    }

    // MARK: File system

    func testDirectoryAndMissingFile() {
        XCTAssertThrowsError(try MIDIFile.read(directory.path)) { error in
            XCTAssertEqual(error as? MediaError, .isDirectory(path: directory.path))
        }
        let missing = directory.file("nope.mid")
        XCTAssertThrowsError(try MIDIFile.read(missing)) { error in
            XCTAssertEqual(error as? MediaError, .fileNotFound(path: missing))
        }
    }

    // MARK: Helpers

    private func assertCorrupt(path: String, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try MIDIFile.read(path), file: file, line: line) { error in
            guard case MediaError.corrupt(let errorPath, "MIDI", let detail) = error else {
                return XCTFail("expected corrupt MIDI, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(errorPath, path, file: file, line: line)
            for part in parts { XCTAssertTrue(detail.contains(part), "'\(detail)' lacks '\(part)'", file: file, line: line) }
            XCTAssertTrue((error as? MediaError)?.description.hasPrefix(path) == true, file: file, line: line)
        }
    }
}
