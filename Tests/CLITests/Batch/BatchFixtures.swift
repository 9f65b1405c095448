import Audio
import Foundation
import TestSupport
import XCTest

/// Real audio folders for the batch tests: short synthesized chord progressions in a small tree, and the
/// manifest as JSON.
enum BatchFixtures {
    /// Writes `count` 3 s WAVs under `folder` (some in sub-folders), each a different pair of chords.
    @discardableResult
    static func progressions(in folder: String, count: Int, seconds: Double = 3) throws -> [String] {
        var paths: [String] = []
        for i in 0..<count {
            let root = 33 + (i * 5) % 12
            let notes: [(pitch: Int, start: Double, end: Double, velocity: Int)] = [
                (root, 0, seconds / 2 - 0.1, 100), (root + 24, 0, seconds / 2 - 0.1, 90), (root + 27, 0, seconds / 2 - 0.1, 90),
                (root + 5, seconds / 2, seconds - 0.1, 100), (root + 29, seconds / 2, seconds - 0.1, 90), (root + 33, seconds / 2, seconds - 0.1, 90),
            ]
            let relative = (i % 3 == 0 ? "" : "set\(i % 3)/") + String(format: "take%02d.wav", i)
            let path = folder + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try AudioFile.save(AudioClip.notes(notes, sampleRate: 22_050, duration: seconds), to: path)
            paths.append(relative)
        }
        return paths
    }

    /// The manifest at `path` as a JSON object.
    static func manifest(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The manifest's items by key.
    static func items(_ path: String) throws -> [String: [String: Any]] {
        try XCTUnwrap(try manifest(path)["items"] as? [String: [String: Any]])
    }

    /// Every regular file under `folder` with its bytes, by relative path.
    static func tree(_ folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = folder + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return result
    }

    /// The "N to do, M current" numbers of a batch run's first line.
    static func plan(_ stdout: String) -> (todo: Int, current: Int)? {
        guard let line = stdout.split(separator: "\n").first, let colon = line.range(of: ": ", options: .backwards) else { return nil }
        let words = line[colon.upperBound...].split(separator: " ")
        guard words.count >= 4, let todo = Int(words[0]), let current = Int(words[3]) else { return nil }
        return (todo, current)
    }
}
