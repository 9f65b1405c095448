import XCTest

// Tests for this module land with the module.
final class CanvasPlaceholderTests: XCTestCase {
    func testPlaceholder() {}
}
