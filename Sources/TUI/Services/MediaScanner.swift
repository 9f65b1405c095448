import Audio
import Foundation
import Media
import MIDI

/// Lists a directory for the Media pane: subdirectories first, then media files with their size and
/// dimensions or duration (read from headers, not by decoding whole files).
public enum MediaScanner {
    /// Entries of `directory`. `assets`, when given and not below `directory`, is offered as a shortcut
    /// at the top; `..` leads to the parent.
    public static func scan(_ directory: String, assets: String? = nil) throws -> [MediaEntry] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MediaError.unreadable(path: directory, reason: "cannot list the directory")
        }
        var directories: [MediaEntry] = []
        var files: [MediaEntry] = []
        for name in names where !name.hasPrefix(".") {
            let path = join(directory, name)
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                directories.append(MediaEntry(name: name + "/", path: path, kind: .directory, bytes: 0, detail: ""))
                continue
            }
            let kind = MediaClassifier.kind(ofFile: path)
            guard kind != .other else { continue }
            files.append(MediaEntry(name: name, path: path, kind: kind, bytes: Int(info.st_size), detail: detail(path, kind: kind)))
        }
        directories.sort { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        files.sort { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        var result: [MediaEntry] = []
        if directory != "/" {
            result.append(MediaEntry(name: "../", path: parent(of: directory), kind: .directory, bytes: 0, detail: ""))
        }
        if let assets, FileAccess.isDirectory(assets), !isInside(assets, directory), !isInside(directory, assets),
           !directories.contains(where: { $0.name == "assets/" }) {
            result.append(MediaEntry(name: "assets/", path: assets, kind: .directory, bytes: 0, detail: "mlwb samples"))
        }
        return result + directories + files
    }

    // MARK: Details

    /// "512×512" for images, "3.50 s · 22050 Hz · 1 ch" for audio, "3.40 s · 11 notes" for MIDI.
    public static func detail(_ path: String, kind: MediaKind) -> String {
        switch kind {
        case .image, .mask:
            guard let (w, h) = pngSize(path) else { return "not a PNG" }
            return "\(w)×\(h)"
        case .audio:
            guard let info = try? AudioFile.info(path) else { return "unreadable" }
            return "\(HumanReadable.fixed(info.duration, digits: 2)) s · \(info.sampleRate) Hz · \(info.channelCount) ch"
        case .midi:
            guard let size = try? FileAccess.checkReadableFile(path), size < 4 << 20,
                  let file = try? MIDIFile.read(path) else { return "unreadable" }
            return "\(HumanReadable.fixed(file.duration, digits: 2)) s · \(file.notes.count) notes"
        default:
            return ""
        }
    }

    /// Width and height from a PNG's IHDR chunk (the first 24 bytes).
    public static func pngSize(_ path: String) -> (Int, Int)? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var header = [UInt8](repeating: 0, count: 24)
        guard fread(&header, 1, 24, file) == 24,
              header[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        func be(_ i: Int) -> Int { Int(header[i]) << 24 | Int(header[i + 1]) << 16 | Int(header[i + 2]) << 8 | Int(header[i + 3]) }
        return (be(16), be(20))
    }

    // MARK: Paths

    static func join(_ directory: String, _ name: String) -> String {
        if directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func parent(of directory: String) -> String { Reducer.parentDirectory(of: directory) }

    static func isInside(_ path: String, _ directory: String) -> Bool {
        let a = URL(fileURLWithPath: path).standardizedFileURL.path
        let d = URL(fileURLWithPath: directory).standardizedFileURL.path
        return a == d || a.hasPrefix(d.hasSuffix("/") ? d : d + "/")
    }
}
