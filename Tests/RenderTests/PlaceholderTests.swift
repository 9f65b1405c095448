import XCTest

// Tests for this module land with the module.
final class RenderPlaceholderTests: XCTestCase {
    func testPlaceholder() {}
}
