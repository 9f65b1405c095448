import Foundation
import XCTest
@testable import TUI

/// The log overlay: times, wrapping, selection and copying to the clipboard.
final class LogOverlayTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    private let long = "download of swift_f0 failed: could not connect to github.com (Couldn't resolve host name) after 6 attempts over 25 s — check the network, or fetch the file elsewhere and run mlwb checkpoints import FILE"

    func testEntriesShowTheirTimeAndLongOnesWrapInFull() throws {
        let (core, screen) = try Fixture.core(columns: 100, rows: 30)
        core.dispatch(.log(.error, long))
        core.dispatch(.log(.info, "input: dog.png"))
        core.press(.character("L"))
        core.render(on: screen)
        let text = screen.text
        // HH:MM:SS before each entry.
        XCTAssertNotNil(text.range(of: #"\d\d:\d\d:\d\d  ERROR  download of swift_f0"#, options: .regularExpression), text)
        // Nothing of the long message is cut off: its last words are on screen.
        XCTAssertTrue(text.contains("mlwb checkpoints import FILE"), text)
        // Wrapped lines start under the text column, not under the time.
        guard let tail = screen.find("mlwb checkpoints import FILE"), let head = screen.find("download of swift_f0") else { return XCTFail(text) }
        XCTAssertGreaterThan(tail.row, head.row)
        XCTAssertEqual(screen.line(tail.row).range(of: "│ ").map { _ in true }, true)
        let clock = try XCTUnwrap(core.state.log.last?.timeOfDay)
        XCTAssertEqual(clock.count, 8)
        XCTAssertNotEqual(clock, "--:--:--")
    }

    func testArrowsSelectAnEntryAndYCopiesItThroughOSC52() throws {
        let (core, screen) = try Fixture.core(columns: 100, rows: 30)
        core.dispatch(.log(.error, long))
        core.dispatch(.log(.info, "input: dog.png"))
        core.press(.character("L"))
        core.render(on: screen)
        _ = screen.takeRaw()
        // The newest entry is selected first; ↑ selects the one before.
        core.press(.up)
        core.render(on: screen)
        guard let head = screen.find("download of swift_f0") else { return XCTFail(screen.text) }
        XCTAssertEqual(screen.style(row: head.row, column: head.column).role, .selection)
        core.press(.character("y"))
        core.render(on: screen)
        let raw = screen.takeRaw()
        let expected = Array("\u{1B}]52;c;".utf8) + Array(Data(long.utf8).base64EncodedString().utf8) + [0x07]
        XCTAssertNotNil(Self.find(expected, in: raw), "OSC 52 with the entry's text: \(String(decoding: raw, as: UTF8.self))")
        XCTAssertTrue(screen.contains("copied to the clipboard"), screen.text)
        // Copying did not add to the log it copies from.
        XCTAssertEqual(core.state.log.last?.text, "input: dog.png")
    }

    func testTheClipboardSequenceCutsLongTextOnACharacter() {
        let text = String(repeating: "é", count: Clipboard.maximumBytes)  // two bytes each
        let sequence = Clipboard.sequence(copying: text)
        let base64 = String(decoding: sequence.dropFirst(7).dropLast(), as: UTF8.self)
        let decoded = try? XCTUnwrap(Data(base64Encoded: base64))
        XCTAssertEqual(decoded?.count, Clipboard.maximumBytes)
        XCTAssertNotNil(decoded.flatMap { String(data: $0, encoding: .utf8) }, "valid UTF-8 after the cut")
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
        return nil
    }
}
