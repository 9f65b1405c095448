import XCTest

// Tests for this module land with the module.
final class CheckpointsPlaceholderTests: XCTestCase {
    func testPlaceholder() {}
}
