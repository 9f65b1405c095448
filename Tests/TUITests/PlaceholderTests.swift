import XCTest

final class TUIPlaceholderTests: XCTestCase {
    func testPlaceholder() {}
}
