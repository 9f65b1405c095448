import Foundation
import Media
import TestSupport
import XCTest

/// Checked file reading: only regular files are read, so a FIFO or device given as input is an
/// error at once instead of a hang or an endless read.
final class FileAccessTests: XCTestCase {
    func testFIFOsAndDevicesAreRefusedWithoutBlocking() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-access")
        defer { dir.remove() }
        let fifo = dir.file("pipe.png")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        for path in [fifo, "/dev/zero", "/dev/null"] {
            XCTAssertThrowsError(try FileAccess.readBytes(path), path) { error in
                XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
            }
            XCTAssertThrowsError(try FileAccess.checkReadableFile(path), path)
        }
        // Through a symlink the target counts.
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.png"), withDestinationPath: fifo)
        XCTAssertThrowsError(try FileAccess.readBytes(dir.file("link.png")))
    }
}
