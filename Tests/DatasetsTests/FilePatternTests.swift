import XCTest
@testable import Datasets

final class FilePatternTests: XCTestCase {
    func testMatching() throws {
        let wav = try FilePattern("*/*.wav")
        XCTAssertTrue(wav.matches("2004/a.wav"))
        XCTAssertFalse(wav.matches("a.wav"))
        XCTAssertFalse(wav.matches("2004/x/a.wav"))
        XCTAssertFalse(wav.matches("2004/a.wav.part"))
        let deep = try FilePattern("**/*.{jpg,png}")
        XCTAssertTrue(deep.matches("a.jpg"))
        XCTAssertTrue(deep.matches("x/y/z.png"))
        XCTAssertFalse(deep.matches("x/y/z.gif"))
        let q = try FilePattern("image_?????.jpg")
        XCTAssertTrue(q.matches("image_00001.jpg"))
        XCTAssertFalse(q.matches("image_0001.jpg"))
        let literal = try FilePattern("maestro-v2.0.0.csv")
        XCTAssertTrue(literal.isLiteral)
        XCTAssertTrue(literal.matches("maestro-v2.0.0.csv"))
        XCTAssertFalse(literal.matches("maestro-v2x0.0.csv"))
        let middle = try FilePattern("a/**/b")
        XCTAssertTrue(middle.matches("a/b"))
        XCTAssertTrue(middle.matches("a/x/y/b"))
        XCTAssertFalse(middle.matches("a/x/c"))
    }

    func testMalformedPatterns() {
        for bad in ["", "/abs", "a//b", "a/", "../x", "a/**b", "{a}", "a{b,c", "[ab]", "a/./b"] {
            XCTAssertThrowsError(try FilePattern(bad), bad)
        }
    }
}
