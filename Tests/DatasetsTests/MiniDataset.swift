import Foundation
import XCTest
import Remote
import TestSupport
@testable import Datasets

/// A tiny MIR-1K-like dataset ("mir1k-mini") for store, validation and download tests.
enum MiniDataset {
    static let readme = "mini MIR-1K for tests\n"

    /// The catalog entry; `url` is where its zip is served, `manual` makes it a hand-placed dataset.
    static func entry(id: String = "mir1k-mini", url: String = "http://127.0.0.1:9/mir1k-mini.zip", manual: Bool = false) throws -> DatasetEntry {
        let readmeSHA = try sha256(of: Array(readme.utf8))
        return DatasetEntry(
            id: id, name: "MIR-1K mini", description: "test", homepage: "http://127.0.0.1/", licence: "CC0-1.0",
            availability: manual ? .manual : .download,
            files: manual ? [] : [DatasetFile(filename: "mir1k-mini.zip", url: url, archive: .zip)],
            manual: manual ? ManualInstructions(source: "by hand", reason: "test", steps: ["put files in {data}"]) : nil,
            layout: DatasetLayout(root: "MIR-1K-mini", folders: ["Wavfile", "PitchLabel"],
                                  files: [LayoutRule(try FilePattern("Wavfile/*.wav"), count: 10),
                                          LayoutRule(try FilePattern("PitchLabel/*.pv"), count: 10),
                                          LayoutRule(try FilePattern("Readme.txt"), count: 1)],
                                  ignore: [try FilePattern("**/.DS_Store")],
                                  checksums: ["Readme.txt": readmeSHA]),
            splits: [SplitRule(kind: .fraction, files: [try FilePattern("*.wav")], folder: "Wavfile", trainFraction: 0.88,
                               pairs: [.init(folder: "PitchLabel", fileExtension: ".pv")])])
    }

    /// The files of the dataset (relative path → contents).
    static var files: [(String, String)] {
        var list: [(String, String)] = [("MIR-1K-mini/Readme.txt", readme)]
        for n in 1...10 {
            list.append(("MIR-1K-mini/Wavfile/amy_\(n).wav", "RIFF" + String(repeating: "\(n)", count: 100 * n)))
            list.append(("MIR-1K-mini/PitchLabel/amy_\(n).pv", "60.0\n61.0\n"))
        }
        return list
    }

    /// Writes the files under `folder`.
    static func lay(into folder: String) throws {
        for (path, text) in files {
            let full = folder + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    /// Writes the dataset as a zip at `path`.
    static func zip(to path: String) throws {
        try ArchiveFixtures.zip(path, files)
    }

    static func sha256(of bytes: [UInt8]) throws -> String {
        let temp = try TemporaryDirectory(prefix: "mlwb-sha")
        defer { temp.remove() }
        _ = FileManager.default.createFile(atPath: temp.file("x"), contents: Data(bytes))
        return try StreamingDigest.hex(file: temp.file("x"))
    }
}
