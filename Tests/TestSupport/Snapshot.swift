import Foundation
import XCTest

/// Golden-text snapshots: `Snapshot.assert(text, named:)` compares with `Snapshots/NAME.txt` beside the
/// test file. Run with `MLWB_RECORD_SNAPSHOTS=1` to (re)write the golden files after an intended change;
/// a recording run fails, so a recording never passes as a test.
public enum Snapshot {
    /// Whether this run records instead of comparing.
    public static var recording: Bool { ProcessInfo.processInfo.environment["MLWB_RECORD_SNAPSHOTS"] == "1" }

    /// Checks `text` against the golden file `NAME.txt` in the `Snapshots` folder next to `file`.
    public static func assert(_ text: String, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        let folder = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots")
        let golden = folder.appendingPathComponent(name + ".txt")
        let actual = text.hasSuffix("\n") ? text : text + "\n"
        if recording {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            do {
                try actual.write(to: golden, atomically: true, encoding: .utf8)
                XCTFail("recorded \(golden.path); run again without MLWB_RECORD_SNAPSHOTS=1 to compare", file: file, line: line)
            } catch {
                XCTFail("cannot record \(golden.path): \(error)", file: file, line: line)
            }
            return
        }
        guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
            XCTFail("no snapshot \(golden.path): record it with MLWB_RECORD_SNAPSHOTS=1", file: file, line: line)
            return
        }
        guard expected != actual else { return }
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        let saved = FileManager.default.temporaryDirectory.appendingPathComponent("mlwb-snapshot-\(name).txt")
        try? actual.write(to: saved, atomically: true, encoding: .utf8)
        XCTFail("""
            \(name) differs from its snapshot at line \(first + 1):
              expected: \(first < a.count ? String(a[first]) : "<end>")
              actual:   \(first < b.count ? String(b[first]) : "<end>")
            whole output in \(saved.path); if the change is intended, record with MLWB_RECORD_SNAPSHOTS=1
            """, file: file, line: line)
    }
}
