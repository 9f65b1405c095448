import MIDI
import Media
import XCTest
@testable import Render

/// The piano roll draws whatever notes it is given (from files, tables or models) without trapping.
final class PianoRollPlotTests: XCTestCase {
    func testNoteAtTheLastTickIsDrawnWithoutTrapping() {
        // On and off at the same, last tick: start == end == the file's duration (issue 10).
        let notes = [NoteEvent(pitch: 60, start: 0, end: 0.5), NoteEvent(pitch: 64, start: 0.5, end: 0.5)]
        let image = PianoRollPlot.render(notes, width: 40, height: 20, duration: 0.5)
        XCTAssertEqual(image.width, 40)
        XCTAssertEqual(image.height, 20)
    }

    func testNotesOutsideThePictureOrWithBadFieldsAreSkipped() {
        let notes = [
            NoteEvent(pitch: 60, start: 0, end: 1),
            NoteEvent(pitch: 62, start: -5, end: -4),              // before the start
            NoteEvent(pitch: 64, start: .nan, end: .infinity),     // not finite
            NoteEvent(pitch: 65, start: 0.2, end: 0.1),            // reversed
            NoteEvent(pitch: 67, start: 0, end: 1, velocity: 300, channel: -3, track: -7),
            NoteEvent(pitch: 500, start: 0, end: 1),               // no such pitch
        ]
        for duration in [nil, 0, -1, Double.nan, .infinity, 1e300] as [Double?] {
            let image = PianoRollPlot.render(notes, width: 33, height: 17, duration: duration)
            XCTAssertEqual(image.pixels.count, 33 * 17 * 3)
        }
        XCTAssertEqual(PianoRollPlot.render(notes, width: 1, height: 1).pixels.count, 3)
        XCTAssertEqual(PianoRollPlot.render(notes, width: 0, height: 5).pixels.count, 0)
    }
}
