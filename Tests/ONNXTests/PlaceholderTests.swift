import XCTest

final class ONNXPlaceholderTests: XCTestCase {
    func testPlaceholder() {}
}
