import Audio
import Canvas
import Media
import MIDI
import Render

/// Turns a media file into a picture for the Preview pane (runs on a background task).
public enum PreviewLoader {
    /// What a load produced.
    public struct Loaded: Sendable {
        public var picture: Image
        public var info: [String]
    }

    /// Loads `path` as `kind`; plots (audio, MIDI) are drawn at `pixels` (width × height in pixels).
    public static func load(_ path: String, kind: MediaKind, pixels: TerminalSize) throws -> Loaded {
        let width = max(8, pixels.columns), height = max(8, pixels.rows)
        switch kind {
        case .image:
            let image = try ImageFile.load(path)
            return Loaded(picture: image, info: ["\(image.width)×\(image.height)" + (image.hasAlpha ? " RGBA" : " RGB")])
        case .mask:
            let mask = try Mask.load(path)
            return Loaded(picture: mask.colorized(),
                          info: ["mask \(mask.width)×\(mask.height) · \(mask.channelCount) channel\(mask.channelCount == 1 ? "" : "s")"])
        case .audio:
            let clip = try AudioFile.load(path)
            let plot = AudioPlot.overview(clip, width: width, height: height)
            let seconds = Double(clip.frameCount) / Double(max(1, clip.sampleRate))
            return Loaded(picture: plot, info: ["\(HumanReadable.fixed(seconds, digits: 2)) s · \(clip.sampleRate) Hz · waveform + log-mel"])
        case .midi:
            let file = try MIDIFile.read(path)
            let plot = PianoRollPlot.render(file.notes, width: width, height: height, duration: file.duration)
            let pitches = file.notes.map(\.pitch)
            let range = pitches.isEmpty ? "no notes" : "pitches \(pitches.min()!)–\(pitches.max()!)"
            return Loaded(picture: plot, info: ["\(file.notes.count) notes · \(HumanReadable.fixed(file.duration, digits: 2)) s · \(range)"])
        case .directory, .other:
            throw MediaError.invalidArgument("\(path): not an image, mask, audio or MIDI file")
        }
    }
}
