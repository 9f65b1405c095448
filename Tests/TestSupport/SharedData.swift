import Foundation
import XCTest

/// Access to `../shared` (third-party weights, photos and audio that the project must not commit).
/// Tests that need it call `SharedData.require(...)`, which skips with a clear message when absent.
public enum SharedData {
    /// The package root (the directory holding Package.swift).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/TestSupport/SharedData.swift
        return url.path
    }()

    /// `../shared` next to the package, or `$MLWB_SHARED` if set.
    public static let root: String = {
        if let env = ProcessInfo.processInfo.environment["MLWB_SHARED"], !env.isEmpty { return env }
        return URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    }()

    /// The path of `relative` inside the shared folder, or a skip naming what is missing.
    public static func require(_ relative: String) throws -> String {
        let path = (root as NSString).appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("skipped: \(path) is absent (these tests need the shared data folder ../shared next to the package; set MLWB_SHARED to point elsewhere)")
        }
        return path
    }

    /// The path of a file in the project's own `assets/` folder.
    public static func asset(_ relative: String) -> String {
        (packageRoot as NSString).appendingPathComponent("assets/" + relative)
    }
}
