import XCTest

// Tests for this module land with the module.
final class AudioPlaceholderTests: XCTestCase {
    func testPlaceholder() {}
}
