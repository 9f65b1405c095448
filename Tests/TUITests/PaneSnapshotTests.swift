import TestSupport
import XCTest
@testable import TUI

/// Each workbench pane at 120×36 on the in-memory screen, as golden text.
final class PaneSnapshotTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    /// The text of `rect` on `screen`, with the checkout's assets path written as `$ASSETS` (re-padded to the
    /// pane's width) so the snapshot does not depend on where the package is checked out.
    private func text(_ screen: MemoryScreen, _ rect: CellRect) -> String {
        (rect.row..<(rect.row + rect.height)).map { row in
            let line = String(screen.line(row).dropFirst(rect.column).prefix(rect.width))
            guard line.contains(Fixture.assets), line.hasSuffix("│") else { return line }
            var inner = String(line.dropLast()).replacingOccurrences(of: Fixture.assets, with: "$ASSETS")
            while inner.hasSuffix(" ") { inner.removeLast() }
            return inner + String(repeating: " ", count: max(0, line.count - 1 - inner.count)) + "│"
        }.joined(separator: "\n")
    }

    func testEveryPane() throws {
        let (core, screen) = try Fixture.core(columns: 120, rows: 36, directory: Fixture.assets)
        let layout = Layout(size: core.state.size)
        // Show a picture in Preview.
        core.dispatch(.show(Fixture.assets + "/images/sample.png"))
        XCTAssertTrue(core.waitUntil { $0.preview.picture != nil })
        for pane in [PaneID.models, .media, .downloads, .preview] {
            core.dispatch(.focus(pane))
            core.render(on: screen)
            let rect: CellRect
            switch pane {
            case .models: rect = layout.models
            case .media: rect = layout.media
            case .downloads: rect = layout.downloads
            case .preview: rect = layout.preview
            }
            Snapshot.assert(text(screen, rect), named: "pane-\(pane.title.lowercased())")
        }
        Snapshot.assert(screen.line(35), named: "status-bar")
        core.press(.character("?"))
        core.render(on: screen)
        // Only the overlay's own window: the panes peeking out at its sides show the checkout's path.
        let help = OverlayView.frame(for: core.state.size, lines: OverlayView.helpLines(width: min(120 - 6, 96)).count, wide: true)
        Snapshot.assert(text(screen, help), named: "help-overlay")
    }
}
