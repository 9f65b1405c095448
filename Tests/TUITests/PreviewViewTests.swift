import Foundation
import TestSupport
import XCTest
@testable import TUI

/// Preview fullscreen, zoom and pan.
final class PreviewViewTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    private func showDog() throws -> (WorkbenchCore, MemoryScreen) {
        let dog = try SharedData.require("media/dog.png")
        let (core, screen) = try Fixture.core()
        core.dispatch(.show(dog))
        XCTAssertTrue(core.waitUntil { $0.preview.picture != nil })
        core.render(on: screen)
        return (core, screen)
    }

    func testFullscreenTakesTheScreenAndEscReturns() throws {
        let (core, screen) = try showDog()
        let paneArea = core.state.layout.pictureArea
        XCTAssertTrue(screen.contains("1 Models"))
        core.press(.character("f"))
        core.render(on: screen)
        XCTAssertTrue(core.state.preview.fullscreen)
        XCTAssertEqual(core.state.focus, .preview)
        XCTAssertFalse(screen.contains("1 Models"), screen.text)
        XCTAssertTrue(screen.line(0).contains("4 Preview"), screen.line(0))
        let full = core.state.layout.pictureArea
        XCTAssertGreaterThan(full.width, paneArea.width)
        XCTAssertGreaterThan(full.height, paneArea.height)
        XCTAssertFalse(screen.takeRaw().isEmpty, "the picture is drawn again at the new size")
        core.press(.escape)
        core.render(on: screen)
        XCTAssertFalse(core.state.preview.fullscreen)
        XCTAssertTrue(screen.contains("1 Models"))
        // A focus key leaves fullscreen too.
        core.press(.character("f"), .character("2"))
        XCTAssertFalse(core.state.preview.fullscreen)
        XCTAssertEqual(core.state.focus, .media)
    }

    func testZoomShowsAPartAndArrowsPanIt() throws {
        let (core, screen) = try showDog()
        core.press(.character("4"))
        core.render(on: screen)
        _ = screen.takeRaw()
        core.press(.character("+"))
        XCTAssertEqual(core.state.preview.zoom, 2)
        usleep(40_000)  // the painter draws at most 30 frames a second
        core.render(on: screen)
        XCTAssertFalse(screen.takeRaw().isEmpty, "the zoomed part is drawn")
        XCTAssertTrue(screen.contains("zoom 2×"), screen.text)
        let picture = try XCTUnwrap(core.state.preview.picture)
        let centred = core.state.preview.viewport(width: picture.width, height: picture.height)
        XCTAssertEqual(centred.width, picture.width / 2)
        XCTAssertEqual(centred.x, (picture.width - centred.width) / 2, accuracy: 1)
        core.press(.right, .right, .right, .right, .right)
        let panned = core.state.preview.viewport(width: picture.width, height: picture.height)
        XCTAssertEqual(panned.x, picture.width - panned.width, "panning stops at the right edge")
        usleep(40_000)
        core.render(on: screen)
        XCTAssertFalse(screen.takeRaw().isEmpty)
        core.press(.character("+"), .character("+"), .character("+"))
        XCTAssertEqual(core.state.preview.zoom, PreviewState.maximumZoom)
        core.press(.character("0"))
        XCTAssertEqual(core.state.preview.zoom, 1)
        // With the whole picture shown, arrows do not pan (and nothing breaks).
        core.press(.left)
        XCTAssertEqual(core.state.preview.centre.x, 0.5)
    }
}
