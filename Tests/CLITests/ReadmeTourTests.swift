import Foundation
import TestSupport
import XCTest

/// The README's CLI tour runs as written: every example line, in a checkout-like folder, with the real binary.
final class ReadmeTourTests: XCTestCase {
    // MARK: The tour

    /// Every command line of the `## CLI tour` section's `sh` blocks (continuations joined, comments dropped).
    static func tourCommands(readme: String) -> [String] {
        guard let start = readme.range(of: "\n## CLI tour") else { return [] }
        let rest = readme[start.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        var commands: [String] = []
        var inBlock = false
        var pending = ""
        for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inBlock = line.hasPrefix("```sh") && !inBlock; continue }
            guard inBlock else { continue }
            var text = String(line)
            if let hash = text.range(of: "  #") ?? text.range(of: " # ") { text = String(text[..<hash.lowerBound]) }
            text = text.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            if text.hasSuffix("\\") { pending += text.dropLast() + " "; continue }
            commands.append(pending + text)
            pending = ""
        }
        return commands
    }

    /// Lines that need the network or stand for the user's own files (the README says which).
    static func needsNetworkOrOwnFile(_ command: String) -> Bool {
        ["mlwb download ", "mlwb datasets get", "mlwb datasets verify", "mlwb datasets split", "my-", "~/"]
            .contains { command.contains($0) }
    }

    func testTourParses() throws {
        let readme = try String(contentsOfFile: SharedData.packageRoot + "/README.md", encoding: .utf8)
        let commands = Self.tourCommands(readme: readme)
        XCTAssertGreaterThan(commands.count, 40)
        XCTAssertTrue(commands.allSatisfy { $0.hasPrefix("mlwb ") }, commands.filter { !$0.hasPrefix("mlwb ") }.joined(separator: "\n"))
        XCTAssertTrue(commands.contains { $0.contains("--sha256 b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889") },
                      "continuation lines are joined")
    }

    func testEveryTourLineRuns() throws {
        let mlwb = try ProcessRunner.requireMLWB()
        let weights = try SharedData.require("weights")
        let readme = try String(contentsOfFile: SharedData.packageRoot + "/README.md", encoding: .utf8)
        let dir = try TemporaryDirectory(prefix: "mlwb-tour")
        defer { dir.remove() }
        try FileManager.default.createSymbolicLink(atPath: dir.file("assets"), withDestinationPath: SharedData.packageRoot + "/assets")
        let bin = dir.file("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/mlwb", withDestinationPath: mlwb)
        let environment = ["PATH": bin + ":/usr/bin:/bin", "MLWB_HOME": dir.file("home"), "MLWB_MIRROR": weights,
                           "MLWB_OFFLINE": "1", "COLUMNS": "80", "LINES": "30"]
        var ran = 0
        for command in Self.tourCommands(readme: readme) where !Self.needsNetworkOrOwnFile(command) {
            let r = try ProcessRunner.run("/bin/sh", ["-c", command], environment: environment, directory: dir.path)
            XCTAssertEqual(r.status, 0, "README tour line failed: \(command)\n\(r.stderr.suffix(600))")
            ran += 1
        }
        XCTAssertGreaterThan(ran, 35)
        // What the lines wrote is what they say they write.
        for file in ["arcs.png", "regions.png", "dream.png", "noise.png", "arpeggio.mid", "arpeggio.csv", "f0.csv",
                     "arpeggio.beats.txt", "check.wav", "live.txt", "arpeggio.lab", "beat.lab", "frames/frame-0001.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.file(file)), "tour did not write \(file)")
        }
    }
}
