import XCTest

final class RemotePlaceholderTests: XCTestCase {
    func testPlaceholder() {}
}
