import Foundation
import Media

/// Beat lists as text, the way madmom, BeatNet and mir_eval exchange them: one beat per line,
/// `time_s<TAB>beat_in_bar` (1 = downbeat) or just `time_s`; `#` comments and blank lines ignored.
public enum BeatTable {
    /// The largest beat file `read` accepts (16 MiB).
    public static let maxBytes = 16 << 20

    /// Beats read from `path` (position 0 when a line has no beat number).
    public static func read(_ path: String) throws -> [Beat] {
        let bytes = try FileAccess.readBytes(path, maxBytes: maxBytes)
        return try parse(String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// Beats parsed from `text`; `source` names it in errors.
    public static func parse(_ text: String, source: String = "<text>") throws -> [Beat] {
        var beats: [Beat] = []
        for (number, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " || $0 == "," }).map(String.init)
            guard let first = fields.first else { continue }
            if number == 0, Double(first) == nil { continue }  // a header line such as `time_s,beat`
            guard let time = Double(first), time.isFinite, time >= 0, time <= 1e6 else {
                throw MediaError.invalidArgument("\(source):\(number + 1): '\(first)' is not a beat time in seconds")
            }
            var position = 0
            if fields.count > 1 {
                guard let p = Double(fields[1]), p == p.rounded(), p >= 0, p <= 64 else {
                    throw MediaError.invalidArgument("\(source):\(number + 1): '\(fields[1])' is not a beat number (1 = downbeat)")
                }
                position = Int(p)
            }
            if let last = beats.last, time < last.time {
                throw MediaError.invalidArgument("\(source):\(number + 1): beat times must increase (\(time) s after \(last.time) s)")
            }
            beats.append(Beat(time: time, position: position))
        }
        return beats
    }

    /// The text `read` parses: `time<TAB>position` lines, times to the millisecond-and-a-bit (6 decimals).
    public static func text(_ beats: [Beat]) -> String {
        beats.map { HumanReadable.fixed($0.time, digits: 6) + "\t\($0.position)\n" }.joined()
    }

    /// `time_s,beat_in_bar,bar` CSV with a header.
    public static func csv(_ beats: [Beat]) -> String {
        var bar = 0
        var out = "time_s,beat_in_bar,bar\n"
        for (i, beat) in beats.enumerated() {
            if beat.position == 1 || (i == 0 && beat.position != 1) { bar += 1 }
            out += HumanReadable.fixed(beat.time, digits: 6) + ",\(beat.position),\(bar)\n"
        }
        return out
    }
}
