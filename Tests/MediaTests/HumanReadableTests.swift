import Media
import XCTest

/// One unit convention for every size, rate and duration mlwb prints (decimal SI units).
final class HumanReadableTests: XCTestCase {
    func testBytesUseDecimalUnits() {
        XCTAssertEqual(HumanReadable.bytes(512), "512 B")
        XCTAssertEqual(HumanReadable.bytes(999), "999 B")
        XCTAssertEqual(HumanReadable.bytes(1000), "1.0 kB")
        XCTAssertEqual(HumanReadable.bytes(14_212_972), "14.2 MB", "mobilenet_v2's checkpoint, as the README says it")
        XCTAssertEqual(HumanReadable.bytes(123_456_789), "123 MB")
        XCTAssertEqual(HumanReadable.bytes(999_960), "1.0 MB", "rounding carries into the next unit")
        XCTAssertEqual(HumanReadable.bytes(Int64(1) << 60), "1153 PB")
        XCTAssertEqual(HumanReadable.bytes(Int64.max), "9223 PB")
    }

    func testRatesAndDurations() {
        XCTAssertEqual(HumanReadable.rate(2_500_000), "2.5 MB/s")
        XCTAssertEqual(HumanReadable.rate(.infinity), "-- B/s")
        XCTAssertEqual(HumanReadable.duration(42), "42s")
        XCTAssertEqual(HumanReadable.duration(65), "1m05s")
        XCTAssertEqual(HumanReadable.duration(7300), "2h01m")
        XCTAssertEqual(HumanReadable.duration(.nan), "--")
        XCTAssertEqual(HumanReadable.duration(1e300), "--")
    }

    func testFixedDecimals() {
        XCTAssertEqual(HumanReadable.fixed(2.5, digits: 2), "2.50")
        XCTAssertEqual(HumanReadable.fixed(-0.25, digits: 1), "-0.3")
        XCTAssertEqual(HumanReadable.fixed(-1.25, digits: 1), "-1.3")
        XCTAssertEqual(HumanReadable.fixed(3.7, digits: 0), "4")
        XCTAssertEqual(HumanReadable.fixed(.nan, digits: 1), "—")
    }
}
