@testable import Models
import XCTest

/// Beat files in the formats users have: madmom/BeatNet `time<TAB>beat`, plain times, CSV with a header.
final class BeatTimesTests: XCTestCase {
    func testReadsTheCommonFormats() throws {
        XCTAssertEqual(try BeatTimes.parse("0.5\t1\n1.0\t2\n1.5\t3\n"), [0.5, 1.0, 1.5])
        XCTAssertEqual(try BeatTimes.parse("time_s,beat\n2.0,1\n1.0,4\n"), [1.0, 2.0])
        XCTAssertEqual(try BeatTimes.parse("# beats\n\n0.25\n0.75\n"), [0.25, 0.75])
    }

    func testABadLineSaysWhere() {
        XCTAssertThrowsError(try BeatTimes.parse("0.5\nsoon\n", path: "b.txt")) { error in
            XCTAssertEqual("\(error)", "b.txt:2: expected a beat time in seconds, got 'soon'")
        }
        XCTAssertThrowsError(try BeatTimes.read("/nonexistent/beats.txt"))
    }
}
