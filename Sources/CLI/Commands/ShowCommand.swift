import Foundation
import Audio
import Canvas
import Media
import MIDI
import Render

/// `mlwb show FILE...`: images, masks, audio and MIDI drawn in the terminal with half-blocks.
enum ShowCommand: Command {
    static let mask = Option<Int?>("mask", in: 1...Mask.maxChannels, help: "Treat images as masks with N channels and colourise the channels")
    static let play = Option<Bool>(flag: "play", help: "Play an animated GIF or WebP in place, at its own frame times (Ctrl-C stops)")
    static let loops = Option<Int>("loops", default: 1, in: 0...10_000, help: "With --play: times to play it (0 = until Ctrl-C)")

    static let spec = CommandSpec(
        name: "show",
        abstract: "Draw images, masks, audio (waveform + spectrogram) and MIDI (piano roll) in the terminal",
        positionals: [.init("FILE", "PNG/JPEG/WebP/GIF image or mask, WAV/FLAC/OGG audio, or MIDI file", variadic: true)],
        options: DisplayOptions.specs() + [mask.spec, play.spec, loops.spec],
        discussion: "Without --size the picture fits the terminal's width (and height, on a terminal). With kitty, sixel or iTerm2 graphics the "
            + "picture has real pixels at the terminal's cell size (TIOCGWINSZ, or MLWB_CELL_PIXELS=WxH, else 8x16).",
        examples: ["mlwb show assets/images/sample.png", "mlwb show --size 80x40 --colors 256 photo.png",
                   "mlwb show assets/audio/arpeggio.wav assets/midi/arpeggio.mid", "mlwb show --play --loops 3 animation.gif",
                   "mlwb show --graphics sixel --dither photo.jpg"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let display = try DisplayOptions(arguments, context: context)
        let maskChannels = try arguments[mask] ?? 0
        let playing = try arguments[play], times = try arguments[loops]
        if !playing && arguments.contains(loops.spec.long) { throw UsageError("--loops goes with --play") }
        var failures = 0
        let titled = arguments.positionals.count > 1
        for path in arguments.positionals {
            do {
                if playing, maskChannels == 0, try MediaKind.of(path) == .image {
                    let status = try playAnimation(path, display: display, loops: times, context: context)
                    if status != ExitStatus.success { return status }
                    continue
                }
                let (picture, title) = try render(path, display: display, maskChannels: maskChannels)
                if titled { context.print("\u{1B}[1m\(title)\u{1B}[0m") }
                context.write(bytes: picture)
            } catch {
                failures += 1
                context.printError("mlwb show: error: \(error)")
            }
        }
        return failures == 0 ? ExitStatus.success : ExitStatus.failure
    }

    /// Plays the frames of an image in place at their own durations (a still shows once); returns the exit status.
    static func playAnimation(_ path: String, display: DisplayOptions, loops: Int, context: CommandContext) throws -> Int32 {
        let frames = try ImageFile.frames(path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let animator = InlineAnimator(context: context, display: display, maxFPS: 100)
        defer { animator.finish() }
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        var round = 0
        while loops == 0 || round < loops {
            for (i, frame) in frames.enumerated() {
                if InterruptFlag.isRaised { animator.finish(); return ExitStatus.interrupted }
                let started = MonotonicClock.seconds()
                animator.show(frame.image, status: "\(name) · frame \(i + 1)/\(frames.count)")
                let rest = frame.duration - (MonotonicClock.seconds() - started)
                if frames.count > 1, rest > 0 { usleep(UInt32(min(rest, 60) * 1e6)) }
            }
            round += 1
            if frames.count == 1 { break }
        }
        return ExitStatus.success
    }

    /// The terminal output for one file and a title line describing it.
    static func render(_ path: String, display: DisplayOptions, maskChannels: Int) throws -> ([UInt8], String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        switch try MediaKind.of(path) {
        case .image where maskChannels > 0:
            let mask = try Mask.load(path, channels: maskChannels)
            return (try display.picture(mask.colorized()), "\(name) — mask \(mask.width)×\(mask.height), \(mask.channelCount) channels")
        case .image:
            let (picture, width, height, format) = try ImageFile.withPackedPixels(path) { pixels, format in
                (try display.picture(pixels), pixels.width, pixels.height, format)
            }
            return (picture, "\(name) — \(width)×\(height) \(format.rawValue)")
        case .audio:
            let clip = try AudioFile.load(path)
            let rows = min(display.rows, 16)
            let picture = AudioPlot.overview(clip, width: display.columns, height: rows * 2)
            let info = "\(name) — \(String(format: "%.2f", clip.duration)) s, \(clip.sampleRate) Hz, \(clip.channelCount) ch"
            return (try display.plot(picture, columns: display.columns, rows: rows), info)
        case .midi:
            let file = try MIDIFile.read(path)
            let rows = min(display.rows, 16)
            let picture = PianoRollPlot.render(file.notes, width: display.columns, height: rows * 2, duration: file.duration)
            let info = "\(name) — \(file.notes.count) notes, \(String(format: "%.2f", file.duration)) s, format \(file.format)"
            return (try display.plot(picture, columns: display.columns, rows: rows), info)
        }
    }
}

/// What kind of media a file holds, from its first bytes (and its extension as a fallback).
enum MediaKind {
    case image, audio, midi

    static func of(_ path: String) throws -> MediaKind {
        try FileAccess.checkReadableFile(path)
        let head = try FileAccess.readHead(path, count: ImageFormat.headLength)
        if ImageFormat.detect(head) != nil { return .image }
        if head.starts(with: Array("MThd".utf8)) { return .midi }
        if head.starts(with: Array("RIFF".utf8)) || head.starts(with: Array("fLaC".utf8)) || head.starts(with: Array("OggS".utf8))
            || head.starts(with: Array("FORM".utf8)) { return .audio }
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case _ where ImageFormat.extensions.contains(ext):
            // Named like a picture but not one: say which formats are read.
            throw MediaError.unknownImageFormat(path: path)
        case "mid", "midi": return .midi
        case "wav", "flac", "ogg", "aif", "aiff": return .audio
        default:
            throw MediaError.unsupported(path: path, detail: "not a PNG/JPEG/WebP/GIF image, WAV/FLAC/OGG audio or MIDI file")
        }
    }
}
