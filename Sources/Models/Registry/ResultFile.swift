import Foundation
import MIDI
import Media

/// The files a model result is saved as: one place for the CLI's `-o` and the workbench's save.
/// The format follows the path's extension; each result kind has a natural default.
public enum ResultFile {
    // MARK: Formats

    /// The extension a result is saved with when the user names none: png, csv, mid, csv, lab, txt.
    public static func defaultExtension(for result: ModelResult) -> String {
        extensions(for: result)[0]
    }

    /// The extensions `write` accepts for a result, the default first.
    public static func extensions(for result: ModelResult) -> [String] {
        switch result {
        case .image: return ["png"]
        case .classes: return ["csv"]
        case .notes: return ["mid", "midi", "csv"]
        case .pitch: return ["csv"]
        case .chords: return ["lab", "csv"]
        case .beats: return ["txt", "csv"]
        }
    }

    /// The file's bytes for `result` in the format `path`'s extension names.
    /// Throws when the extension is not one the result can be written as.
    public static func encode(_ result: ModelResult, forPath path: String) throws -> [UInt8] {
        let ext = (path as NSString).pathExtension.lowercased()
        let accepted = extensions(for: result)
        // A path without an extension gets the default format.
        let format = ext.isEmpty ? accepted[0] : ext
        guard accepted.contains(format) else {
            throw MediaError.invalidArgument("cannot save this result as .\(format) (use " + accepted.map { "." + $0 }.joined(separator: ", ") + ")")
        }
        switch result {
        case .image(let image): return try PNGCodec.encode(image.clamped())
        case .classes(let scores): return Array(classesCSV(scores).utf8)
        case .notes(let notes): return format == "csv" ? Array(notesCSV(notes).utf8) : try MIDIFile(notes: notes).encode()
        case .pitch(let frames): return Array(pitchCSV(frames).utf8)
        case .chords(let segments): return Array((format == "csv" ? chordsCSV(segments) : chordsLab(segments)).utf8)
        case .beats(let beats, _): return Array((format == "csv" ? BeatTable.csv(beats) : BeatTable.text(beats)).utf8)
        }
    }

    /// Writes `result` to `path` atomically (a temporary name, then a rename) in the format its extension names.
    public static func write(_ result: ModelResult, to path: String) throws {
        try AtomicFile.write(try encode(result, forPath: path), to: path)
    }

    // MARK: Text formats

    /// Note CSV as ../shared/audio writes it: header, rows by onset then pitch, times in full (round-trip) precision.
    public static func notesCSV(_ notes: [NoteEvent]) -> String {
        var out = "onset_s,offset_s,midi_pitch,velocity\n"
        for n in notes.sorted(by: NoteEvent.onsetOrder) { out += "\(n.start),\(n.end),\(n.pitch),\(n.velocity)\n" }
        return out
    }

    /// Pitch CSV `time_s,f0_hz,confidence,voiced` (voiced as 1/0).
    public static func pitchCSV(_ frames: [PitchFrame]) -> String {
        var out = "time_s,f0_hz,confidence,voiced\n"
        for f in frames {
            out += "\(f.time)," + String(format: "%.3f,%.5f,", f.frequency, f.confidence) + (f.voiced ? "1" : "0") + "\n"
        }
        return out
    }

    /// Class CSV `rank,index,label,probability` (labels with commas or quotes quoted).
    public static func classesCSV(_ scores: [ClassScore]) -> String {
        var csv = "rank,index,label,probability\n"
        for (rank, s) in scores.enumerated() {
            let label = s.label.contains(",") || s.label.contains("\"") ? "\"" + s.label.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s.label
            csv += "\(rank + 1),\(s.index),\(label),\(s.probability)\n"
        }
        return csv
    }

    /// The `.lab` text mir_eval reads: `start<TAB>end<TAB>label`, times to 6 decimals.
    public static func chordsLab(_ segments: [ChordSegment]) -> String {
        LabeledIntervals(intervals: segments.map { ($0.start, $0.end) }, labels: segments.map(\.label)).labText
    }

    /// Chord CSV with a header: `start_s,end_s,label`.
    public static func chordsCSV(_ segments: [ChordSegment]) -> String {
        var out = "start_s,end_s,label\n"
        for s in segments { out += String(format: "%.6f,%.6f,", s.start, s.end) + s.label + "\n" }
        return out
    }
}
